import { addDays, chinaDate, type Principal } from '@chanxiao/core';
import { Demand, type DemandsService } from '@chanxiao/demands';
import { User } from '@chanxiao/identity';
import type { DataSource } from 'typeorm';

/** Standing purchase demands of the demo buyers, by phone: what the matcher proposes the demo lots to. */
const DEMO_DEMANDS: Record<string, { categoryCode: string; quantityKg: number; maxUnitPriceFen: number; destinationRegionCode: string; deliverInDays: number; coldChainCapable: boolean; preferPoverty: boolean; note: string }[]> = {
  '13800138101': [{ categoryCode: 'fruit.apple', quantityKg: 20000, maxUnitPriceFen: 750, destinationRegionCode: '110106', deliverInDays: 21, coldChainCapable: false, preferPoverty: false, note: '70mm 以上, 纸箱装, 新发地交货' }],
  '13800138102': [{ categoryCode: 'fruit.kiwi', quantityKg: 5000, maxUnitPriceFen: 1200, destinationRegionCode: '330106', deliverInDays: 14, coldChainCapable: true, preferPoverty: true, note: '电商助农专场, 单果 80g 以上' }],
  '13800138105': [
    { categoryCode: 'grain.rice', quantityKg: 10000, maxUnitPriceFen: 1100, destinationRegionCode: '440104', deliverInDays: 30, coldChainCapable: false, preferPoverty: true, note: '机关食堂消费扶贫采购' },
    { categoryCode: 'fruit', quantityKg: 3000, maxUnitPriceFen: 800, destinationRegionCode: '440104', deliverInDays: 14, coldChainCapable: false, preferPoverty: true, note: '职工福利水果, 品种不限' },
  ],
  '13800138104': [{ categoryCode: 'meat.beef', quantityKg: 2000, maxUnitPriceFen: 9500, destinationRegionCode: '440307', deliverInDays: 7, coldChainCapable: true, preferPoverty: false, note: '冷链到仓, 0-4°C' }],
  '13800138106': [{ categoryCode: 'veg.potato', quantityKg: 30000, maxUnitPriceFen: 150, destinationRegionCode: '510104', deliverInDays: 14, coldChainCapable: false, preferPoverty: false, note: '社区生鲜门店周转' }],
};

/** Posts the demo buyers' demands through the service (each writes `demand.created`, so a running matcher proposes lots), unless a buyer already has demands. */
export async function seedDemands(demands: DemandsService, dataSource: DataSource): Promise<string[]> {
  const lines: string[] = [];
  for (const [phone, wanted] of Object.entries(DEMO_DEMANDS)) {
    const user = await dataSource.getRepository(User).findOneByOrFail({ phone });
    if (await dataSource.getRepository(Demand).existsBy({ organizationId: user.organizationId })) {
      lines.push(`exists   demands of ${phone}`);
      continue;
    }
    const principal: Principal = { userId: user.id, organizationId: user.organizationId, kind: 'buyer', role: user.role, regionCode: null };
    for (const d of wanted) {
      await demands.create(principal, { ...d, deliverBy: addDays(chinaDate(), d.deliverInDays) });
      lines.push(`created  demand ${d.categoryCode} ${d.quantityKg} kg ≤ ${d.maxUnitPriceFen / 100} 元/kg → ${d.destinationRegionCode} (${phone})`);
    }
  }
  return lines;
}
