import { Injectable } from '@nestjs/common';
import { AppConfig, OutboxService } from '@chanxiao/core';
import type { EntityManager } from 'typeorm';
import { Order, OrderGroup, OrderLine } from './order.entity';
import { lineAmountFen } from './order-pricing.util';
import { orderEvent } from './order.view';

/** A line whose stock is already reserved for the buyer (a confirmed proposal's hold). */
export interface HeldLine {
  listingId: string;
  title: string;
  categoryCode: string;
  grams: number;
  unitPriceFen: number;
}

/** An order to write for stock that is already reserved; `key` makes it once-only (`proposal:<id>`). */
export interface HeldOrderInput {
  key: string;
  buyerOrganizationId: string;
  sellerOrganizationId: string;
  lines: HeldLine[];
}

/**
 * Writes an order for stock that is already reserved, inside the caller's transaction: a matcher proposal that
 * both sides accepted becomes an order in `pending_payment` (bank transfer) without moving stock again, since
 * the proposal's hold is exactly the order's reservation. Payment, cancellation and the unpaid deadline then
 * work as for any order.
 */
@Injectable()
export class HeldOrdersService {
  constructor(
    private readonly outbox: OutboxService,
    private readonly config: AppConfig,
  ) {}

  async place(manager: EntityManager, input: HeldOrderInput, now = new Date()): Promise<Order> {
    const lines = input.lines.map((l, i) =>
      Object.assign(new OrderLine(), {
        lineNo: i + 1, listingId: l.listingId, title: l.title, categoryCode: l.categoryCode,
        quantityGrams: l.grams, unitPriceFen: l.unitPriceFen, amountFen: lineAmountFen(l.grams, l.unitPriceFen),
      }),
    );
    const totalFen = lines.reduce((sum, l) => sum + l.amountFen, 0);
    const group = await manager.getRepository(OrderGroup).save(
      Object.assign(new OrderGroup(), { buyerOrganizationId: input.buyerOrganizationId, idempotencyKey: input.key, paymentMethod: 'bank_transfer', totalFen, createdAt: now }),
    );
    // The number from the same sequence as checkouts, inside the caller's transaction.
    const [{ number }] = (await manager.query(`SELECT chanxiao_order_number($1) AS number`, [now])) as { number: string }[];
    const order = await manager.getRepository(Order).save(
      Object.assign(new Order(), {
        number, orderGroupId: group.id, buyerOrganizationId: input.buyerOrganizationId, sellerOrganizationId: input.sellerOrganizationId,
        status: 'pending_payment', paymentMethod: 'bank_transfer', totalFen, payBy: new Date(now.getTime() + this.config.ORDER_PAY_WITHIN_MINUTES * 60_000),
        createdAt: now, updatedAt: now, paidAt: null, shippedAt: null, carrier: null, trackingNo: null, deliveredAt: null, completedAt: null, cancelledAt: null, cancelReason: null,
      }),
    );
    order.lines = await manager.getRepository(OrderLine).save(lines.map((l) => Object.assign(l, { orderId: order.id })));
    await this.outbox.write(manager, orderEvent('order.placed', order, order.lines));
    return order;
  }
}
