import type { Order } from '../../api/client';

/**
 * What a person calls an order: its readable `number` (`CX20261204000123`, what a buyer writes on a bank slip)
 * when the API sends one, else the first eight characters of its id.
 */
export function orderNumber(order: Pick<Order, 'id'> & { number?: string | null }): string {
  return order.number || order.id.slice(0, 8).toUpperCase();
}
