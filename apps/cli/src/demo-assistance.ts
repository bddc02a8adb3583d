import { addDays, chinaDate, DomainError, type Principal } from '@chanxiao/core';
import type { CampaignsService, PledgesService, SubsidyProgrammesService } from '@chanxiao/assistance';
import { User } from '@chanxiao/identity';
import type { DataSource } from 'typeorm';

/**
 * 消费扶贫 demo data: the canteen's pledge for this year, two campaigns (Hubei's spring campaign and Yunnan's,
 * which the demo orders fall in) and Wenshan's courier subsidy programme, through the services the API uses.
 * Each is skipped when it exists (the pledge by year, the others by name), so running it twice changes nothing.
 * The demo orders' events earn subsidies and count toward the pledge once the matcher relays them.
 */
export async function seedAssistance(services: { pledges: PledgesService; campaigns: CampaignsService; programmes: SubsidyProgrammesService }, dataSource: DataSource): Promise<string[]> {
  const today = chinaDate();
  const principalOf = async (phone: string, kind: 'buyer' | 'agency'): Promise<Principal> => {
    const user = await dataSource.getRepository(User).findOneOrFail({ where: { phone }, relations: { organization: true } });
    return { userId: user.id, organizationId: user.organizationId, kind, role: user.role, regionCode: kind === 'agency' ? user.organization!.regionCode : null };
  };
  const exists = async (table: 'campaigns' | 'subsidy_programmes', name: string) => (await dataSource.query(`SELECT 1 FROM ${table} WHERE name = $1`, [name])).length > 0;
  const lines: string[] = [];

  try {
    await services.pledges.create(await principalOf('13800138105', 'buyer'), { amountFen: 50_000_000, procurementBudgetFen: 200_000_000, reservedShareBps: 3000 });
    lines.push(`created  pledge of 13800138105 for ${today.slice(0, 4)}: 500000 元 (30% of a 2000000 元 canteen budget reserved)`);
  } catch (error) {
    if (!(error instanceof DomainError && error.code === 'pledge.exists')) throw error;
    lines.push(`exists   pledge of 13800138105 for ${today.slice(0, 4)}`);
  }
  const campaigns = [
    { phone: '13800138203', name: '湖北春季滞销农产品专项行动', regionCodes: ['420000'], categoryCodes: ['fruit', 'veg'], startsOn: addDays(today, -20), endsOn: addDays(today, 70), description: '组织预算单位、国有企业和工会优先采购湖北贫困县滞销果蔬' },
    { phone: '13800138201', name: '云南滞销农产品产销对接专项行动', regionCodes: ['530000'], categoryCodes: [], startsOn: addDays(today, -60), endsOn: addDays(today, 30), description: '挂牌督战县滞销农产品优先对接' },
  ];
  for (const c of campaigns) {
    if (await exists('campaigns', c.name)) {
      lines.push(`exists   campaign ${c.name}`);
      continue;
    }
    await services.campaigns.create(await principalOf(c.phone, 'agency'), c);
    lines.push(`created  campaign ${c.name} (${c.startsOn} – ${c.endsOn})`);
  }
  const programme = { name: '文山州农产品快递物流补贴', perOrderFen: 200, perSellerCapFen: 20_000, budgetFen: 1_000_000, regionCodes: ['532600'], startsOn: addDays(today, -60), endsOn: addDays(today, 120) };
  if (await exists('subsidy_programmes', programme.name)) lines.push(`exists   subsidy programme ${programme.name}`);
  else {
    await services.programmes.create(await principalOf('13800138202', 'agency'), programme);
    lines.push(`created  subsidy programme ${programme.name} (2 元 an order, at most 200 元 a seller, 10000 元 in all)`);
  }
  return lines;
}
