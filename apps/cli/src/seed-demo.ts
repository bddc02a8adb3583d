import type { CampaignsService, PledgesService, SubsidyProgrammesService } from '@chanxiao/assistance';
import { addDays, chinaDate, DomainError, type Principal } from '@chanxiao/core';
import { type IdentityService, type PayoutAccountService, User, usccCheckCharacter } from '@chanxiao/identity';
import { Listing, type ListingsService } from '@chanxiao/listings';
import type { OrderLifecycleService, OrdersService } from '@chanxiao/orders';
import type { DemandsService } from '@chanxiao/demands';
import type { DataSource } from 'typeorm';
import { DEMO_AGENCY_USERS, DEMO_BUYERS, DEMO_PASSWORD, DEMO_SELLERS, type DemoSeller } from './demo-data';
import { DEMO_LOTS } from './demo-lots';
import { seedDemands } from './demo-demands';
import { seedAssistance } from './demo-assistance';
import { seedOrders } from './demo-orders';

const uscc = (type: '91' | '93', regionCode: string, body: string) => `${type}${regionCode}${body}${usccCheckCharacter(`${type}${regionCode}${body}`)}`;

/**
 * Registers the demo organisations through the same service the API uses. Already-registered ones
 * (same phone or credit code) are skipped, so running it twice changes nothing.
 */
export async function seedDemo(
  identity: IdentityService,
  listings: ListingsService,
  dataSource: DataSource,
  orders?: { orders: OrdersService; lifecycle: OrderLifecycleService },
  assistance?: { pledges: PledgesService; campaigns: CampaignsService; programmes: SubsidyProgrammesService },
  demands?: DemandsService,
  payoutAccounts?: PayoutAccountService,
): Promise<string[]> {
  const lines: string[] = [];
  const attempt = async (label: string, work: () => Promise<unknown>) => {
    try {
      await work();
      lines.push(`created  ${label}`);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'identity.already_registered') lines.push(`exists   ${label}`);
      else throw error;
    }
  };
  for (const s of DEMO_SELLERS) {
    await attempt(`seller ${s.phone} ${s.name}`, () =>
      identity.register({
        kind: 'seller',
        organization: { name: s.name, creditCode: uscc('93', s.regionCode, s.usccBody), regionCode: s.regionCode, contactPhone: s.phone, povertyHouseholds: s.povertyHouseholds },
        user: { phone: s.phone, password: DEMO_PASSWORD, name: s.contact },
      }),
    );
  }
  for (const s of DEMO_SELLERS) lines.push(...(await seedLots(s.phone, listings, dataSource)));
  if (payoutAccounts) for (const s of DEMO_SELLERS) lines.push(await seedPayoutAccount(s, payoutAccounts, dataSource));
  for (const b of DEMO_BUYERS) {
    await attempt(`buyer  ${b.phone} ${b.name} (${b.buyerType})`, () =>
      identity.register({
        kind: 'buyer',
        organization: { name: b.name, creditCode: uscc('91', b.regionCode, b.usccBody), regionCode: b.regionCode, contactPhone: b.phone, buyerType: b.buyerType },
        user: { phone: b.phone, password: DEMO_PASSWORD, name: b.contact },
      }),
    );
  }
  for (const a of DEMO_AGENCY_USERS) {
    await attempt(`agency ${a.phone} ${a.name} (${a.officeName}, ${a.regionCode})`, () =>
      identity.createAgencyUser({ phone: a.phone, password: DEMO_PASSWORD, name: a.name, regionCode: a.regionCode, officeName: a.officeName }),
    );
  }
  if (assistance) lines.push(...(await seedAssistance(assistance, dataSource)));
  if (orders) lines.push(...(await seedOrders(orders.orders, orders.lifecycle, dataSource)));
  if (demands) lines.push(...(await seedDemands(demands, dataSource)));
  lines.push(`every demo user logs in with password ${DEMO_PASSWORD}`);
  return lines;
}

/**
 * The cooperative's 收款账户 at the county branch of the Agricultural Bank (where most cooperatives bank), unless
 * it has one: a buyer paying by bank transfer sees it on the order. The number is made up but shaped like one.
 */
async function seedPayoutAccount(seller: DemoSeller, accounts: PayoutAccountService, dataSource: DataSource): Promise<string> {
  const principal = await principalOfSeller(seller.phone, dataSource);
  if ((await accounts.get(principal)).accountNo) return `exists   payout account of ${seller.phone}`;
  const county = seller.name.slice(0, seller.name.indexOf('县') + 1);
  const account = { accountName: seller.name, bankName: `中国农业银行${county}支行`, accountNo: `24${seller.regionCode}0104${seller.phone.slice(-5)}` };
  await accounts.put(principal, account);
  return `created  payout account of ${seller.phone}: ${account.bankName} ${account.accountNo}`;
}

async function principalOfSeller(phone: string, dataSource: DataSource): Promise<Principal> {
  const user = await dataSource.getRepository(User).findOneByOrFail({ phone });
  return { userId: user.id, organizationId: user.organizationId, kind: 'seller', role: user.role, regionCode: null };
}

/** Creates and publishes a cooperative's demo lots, unless it already has lots. */
async function seedLots(phone: string, listings: ListingsService, dataSource: DataSource): Promise<string[]> {
  const principal = await principalOfSeller(phone, dataSource);
  if (await dataSource.getRepository(Listing).existsBy({ organizationId: principal.organizationId })) return [`exists   lots of ${phone}`];
  const today = chinaDate();
  const lines: string[] = [];
  for (const lot of DEMO_LOTS[phone] ?? []) {
    const harvestedOn = addDays(today, -lot.harvestedDaysAgo);
    const created = await listings.create(principal, {
      categoryCode: lot.categoryCode,
      title: lot.title,
      variety: lot.variety,
      grade: lot.grade,
      quantityKg: lot.quantityKg,
      minOrderKg: lot.minOrderKg,
      unitPriceFen: lot.unitPriceFen,
      harvestedOn,
      bestBefore: addDays(harvestedOn, lot.keepsDays),
      coldChain: lot.coldChain,
      stalled: lot.stalled,
    });
    await listings.publish(principal, created.id);
    // Listed the day after harvest, as a cooperative would, so the dashboard's months have listings too.
    await dataSource.query(`UPDATE listings SET created_at = least(now(), $2::date + interval '1 day 1 hour'), published_at = least(now(), $2::date + interval '1 day 2 hours') WHERE id = $1`, [created.id, harvestedOn]);
    lines.push(`created  lot ${lot.title} (${lot.quantityKg} kg at ${lot.unitPriceFen / 100} 元/kg)`);
  }
  return lines;
}
