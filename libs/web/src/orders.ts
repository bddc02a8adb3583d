/** What both sides' order screens share (the seller's and the buyer's order views have these fields alike). */
export type OrderStatus = 'pending_payment' | 'paid' | 'shipped' | 'delivered' | 'completed' | 'cancelled';

export interface OrderTimes {
  status: OrderStatus;
  createdAt: string;
  paidAt: string | null;
  shippedAt: string | null;
  deliveredAt: string | null;
  completedAt: string | null;
  cancelledAt: string | null;
}

/**
 * What a person calls an order: its readable `number` (`CX20261204000123`, what a buyer writes on a bank slip)
 * when the API sends one, else the first eight characters of its id.
 */
export function orderNumber(order: { id: string; number?: string | null }): string {
  return order.number || order.id.slice(0, 8).toUpperCase();
}

/** The way an order goes, each step with the time it was reached, and the index of the last one reached. */
export function orderSteps(o: OrderTimes): { items: Array<{ key: string; at: string | null }>; active: number } {
  const items = [
    { key: 'placed', at: o.createdAt as string | null },
    ...(o.status === 'cancelled'
      ? [{ key: 'cancelled', at: o.cancelledAt }]
      : [
          { key: 'paid', at: o.paidAt },
          { key: 'shipped', at: o.shippedAt },
          { key: 'delivered', at: o.deliveredAt },
          { key: 'completed', at: o.completedAt },
        ]),
  ];
  const reached = items.filter((s) => s.at).length;
  return { items, active: Math.max(0, reached - 1) };
}
