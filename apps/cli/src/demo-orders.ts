import type { Principal } from '@chanxiao/core';
import { User } from '@chanxiao/identity';
import { Listing } from '@chanxiao/listings';
import { type OrderLifecycleService, type OrdersService, type PlaceOrderDto } from '@chanxiao/orders';
import type { DataSource } from 'typeorm';
import { DEMO_LOTS } from './demo-lots';

/**
 * Demo purchases, so the agency dashboard has real sales to show: each is placed, paid and (by `stage`) shipped
 * and delivered through the same services the API uses, then dated back `paidDaysAgo` days (with the lots
 * dated back to the day after their harvest), so sales spread over the current and the two previous months.
 */
interface DemoOrder {
  buyer: string;
  seller: string;
  /** Index into the seller's DEMO_LOTS. */
  lot: number;
  kg: number;
  paidDaysAgo: number;
  stage: 'paid' | 'shipped' | 'delivered';
}

const o = (buyer: string, seller: string, lot: number, kg: number, paidDaysAgo: number, stage: DemoOrder['stage'] = 'delivered'): DemoOrder => ({ buyer, seller, lot, kg, paidDaysAgo, stage });

// Buyers 13800138101–106 (wholesale, e-commerce, public-welfare market, logistics, 消费扶贫 canteen, retailer);
// sellers 13800138001–012 (see demo-data.ts). Paid days stay after each lot's harvest.
export const DEMO_ORDERS: DemoOrder[] = [
  o('13800138105', '13800138001', 0, 3000, 22), o('13800138105', '13800138001', 0, 1500, 4, 'shipped'),
  o('13800138101', '13800138001', 1, 800, 15), o('13800138102', '13800138002', 0, 120, 50),
  o('13800138102', '13800138002', 1, 300, 34), o('13800138105', '13800138002', 1, 200, 9, 'paid'),
  o('13800138101', '13800138003', 0, 4000, 27), o('13800138104', '13800138003', 0, 2500, 6, 'shipped'),
  o('13800138103', '13800138004', 0, 600, 40), o('13800138101', '13800138005', 0, 8000, 31),
  o('13800138106', '13800138005', 0, 2000, 12), o('13800138101', '13800138006', 0, 60000, 17),
  o('13800138105', '13800138006', 1, 5000, 44), o('13800138102', '13800138007', 0, 12000, 25),
  o('13800138106', '13800138007', 1, 6000, 8, 'shipped'), o('13800138103', '13800138008', 0, 4000, 14),
  o('13800138105', '13800138009', 0, 9000, 20), o('13800138104', '13800138011', 0, 3000, 36),
  o('13800138105', '13800138011', 0, 1000, 2, 'paid'),
];

export async function seedOrders(orders: OrdersService, lifecycle: OrderLifecycleService, dataSource: DataSource): Promise<string[]> {
  const users = dataSource.getRepository(User);
  const principalOf = async (phone: string, kind: 'seller' | 'buyer'): Promise<Principal> => {
    const user = await users.findOneByOrFail({ phone });
    return { userId: user.id, organizationId: user.organizationId, kind, role: user.role, regionCode: null };
  };
  const firstBuyer = await principalOf(DEMO_ORDERS[0].buyer, 'buyer');
  const [{ n }] = await dataSource.query(`SELECT count(*)::int AS n FROM orders WHERE buyer_organization_id = $1`, [firstBuyer.organizationId]);
  if (n > 0) return ['exists   demo orders'];
  const lines: string[] = [];
  for (const [i, plan] of DEMO_ORDERS.entries()) {
    const buyer = await principalOf(plan.buyer, 'buyer');
    const seller = await principalOf(plan.seller, 'seller');
    const title = DEMO_LOTS[plan.seller]?.[plan.lot]?.title;
    const lot = title ? await dataSource.getRepository(Listing).findOneBy({ organizationId: seller.organizationId, title }) : null;
    if (!lot || lot.status !== 'active') continue;
    const body: PlaceOrderDto = { lines: [{ listingId: lot.id, quantityKg: plan.kg }], paymentMethod: 'bank_transfer' } as PlaceOrderDto;
    const placed = await orders.place(buyer, `demo-order-${String(i).padStart(3, '0')}`, body);
    const order = placed.view.orders[0];
    await lifecycle.confirmPayment(seller, order.id);
    if (plan.stage !== 'paid') await lifecycle.ship(seller, order.id, { carrier: '中国邮政EMS', trackingNo: `EMS98${String(1000000 + i)}CN` });
    if (plan.stage === 'delivered') await lifecycle.confirmDelivery(buyer, order.id);
    // Back-date the whole order consistently: placed two hours before payment, shipped a day later, delivered after four.
    await dataSource.query(
      `UPDATE orders SET paid_at = now() - make_interval(days => $2),
         created_at = now() - make_interval(days => $2) - interval '2 hours',
         pay_by = now() - make_interval(days => $2) + interval '46 hours',
         shipped_at = CASE WHEN shipped_at IS NULL THEN NULL ELSE now() - make_interval(days => $2) + interval '1 day' END,
         delivered_at = CASE WHEN delivered_at IS NULL THEN NULL ELSE now() - make_interval(days => $2) + interval '4 days' END
       WHERE id = $1`,
      [order.id, plan.paidDaysAgo],
    );
    await dataSource.query(`UPDATE order_groups SET created_at = now() - make_interval(days => $2) - interval '2 hours' WHERE id = $1`, [placed.view.orderGroupId, plan.paidDaysAgo]);
    lines.push(`created  order ${plan.kg} kg of ${lot.title} for ${plan.buyer}, paid ${plan.paidDaysAgo} days ago (${plan.stage})`);
  }
  return lines;
}
