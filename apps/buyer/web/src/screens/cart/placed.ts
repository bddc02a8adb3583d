import type { Schemas } from '../../api/client';

type PlacedGroup = Schemas['OnlineOrderGroupView'];
const key = (groupId: string) => `chanxiao.buyer.placed.${groupId}`;

/**
 * The answer of a checkout, kept for the confirmation screen (sessionStorage: a reload of that screen still shows
 * it; it reads each order afresh anyway for its status and payout account).
 */
export function rememberPlaced(group: PlacedGroup): void {
  sessionStorage.setItem(key(group.orderGroupId), JSON.stringify(group.orders.map((o) => o.id)));
}

export function placedOrderIds(groupId: string): string[] {
  try {
    return JSON.parse(sessionStorage.getItem(key(groupId)) ?? '[]') as string[];
  } catch {
    return [];
  }
}
