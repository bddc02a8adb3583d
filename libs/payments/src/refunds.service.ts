import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type Stripe from 'stripe';
import { DomainError, OutboxService } from '@chanxiao/core';
import { type Order, OrderLine } from '@chanxiao/orders';
import type { DataSource, EntityManager } from 'typeorm';
import { Refund, RefundLine, type RefundReason } from './payment.entity';
import { refundStateMachine, type RefundStatus } from './payment.state-machine';
import { refundEvent } from './payment.view';
import { StripeGateway } from './stripe.gateway';

/** A line of a refund: grams of one lot taken off an order and what they cost. */
export interface RefundLineInput {
  listingId: string;
  title: string;
  quantityGrams: number;
  unitPriceFen: number;
  amountFen: number;
}

const BATCH = 100;

/**
 * Refunds on an order group's PaymentIntent. A refund is recorded in the transaction that cancels (status
 * `unsent`), with its lines, and the intent's refunded amount grows by it in the same UPDATE that checks it stays
 * within what was received; so refunds always reconcile with the payment. Stripe is asked after commit with
 * the idempotency key `refund-<id>`; if it does not answer, the matcher's job asks again with the same key.
 */
@Injectable()
export class RefundsService {
  private readonly logger = new Logger(RefundsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly gateway: StripeGateway,
    private readonly outbox: OutboxService,
  ) {}

  /** Records a refund of `amountFen` for `order` on the intent, inside the caller's transaction; 409 if it would pay back more than was received. */
  async record(manager: EntityManager, paymentIntentId: string, order: Order, amountFen: number, reason: RefundReason, lines: RefundLineInput[]): Promise<Refund> {
    const [rows] = (await manager.query(
      `UPDATE payment_intents SET amount_refunded_fen = amount_refunded_fen + $2, updated_at = now()
        WHERE id = $1 AND amount_refunded_fen + $2 <= amount_received_fen RETURNING id`,
      [paymentIntentId, amountFen],
    )) as [unknown[], number];
    if (rows.length === 0) {
      throw new DomainError('conflict', 'payments.refund_exceeds_payment', `a refund of ${amountFen} fen would pay back more than payment ${paymentIntentId} received`);
    }
    const refund = await manager.getRepository(Refund).save(
      manager.getRepository(Refund).create({ paymentIntentId, orderId: order.id, amountFen, reason, status: 'unsent', stripeRefundId: null, attempts: 0, lastError: null }),
    );
    if (lines.length) await manager.getRepository(RefundLine).insert(lines.map((l) => ({ ...l, refundId: refund.id })));
    await this.outbox.write(manager, refundEvent('refund.created', refund));
    return refund;
  }

  /** Refunds everything an order still holds (all its lines), inside the caller's transaction. */
  async refundWholeOrder(manager: EntityManager, paymentIntentId: string, order: Order, reason: RefundReason): Promise<Refund> {
    const lines = await manager.getRepository(OrderLine).find({ where: { orderId: order.id }, order: { lineNo: 'ASC' } });
    return this.record(manager, paymentIntentId, order, order.totalFen, reason, lines.map((l) => ({ listingId: l.listingId, title: l.title, quantityGrams: l.quantityGrams, unitPriceFen: l.unitPriceFen, amountFen: l.amountFen })));
  }

  /**
   * Asks Stripe for a recorded refund (same idempotency key every time, so never twice). If Stripe is unreachable
   * or refuses, the refund stays `unsent` with the error, for the job to retry. Returns the refund as it now is.
   */
  async send(refundId: string): Promise<Refund> {
    const refund = await this.dataSource.getRepository(Refund).findOneByOrFail({ id: refundId });
    if (refund.status !== 'unsent') return refund;
    try {
      const sent = await this.gateway.createRefund(
        { payment_intent: refund.paymentIntentId, amount: refund.amountFen, reason: 'requested_by_customer', metadata: { refund_id: refund.id, order_id: refund.orderId } },
        `chanxiao-refund-${refund.id}`,
      );
      await this.dataSource.transaction((manager) => this.applyStripeRefund(manager, sent));
    } catch (error) {
      this.logger.warn(`refund ${refund.id} stays unsent (the payments job retries it): ${(error as Error).message}`);
      await this.dataSource.query(`UPDATE refunds SET attempts = attempts + 1, last_error = $2, updated_at = now() WHERE id = $1`, [refund.id, (error as Error).message]);
    }
    return this.dataSource.getRepository(Refund).findOneByOrFail({ id: refundId });
  }

  /** The job: sends every refund still unsent, oldest first. Returns how many Stripe took. */
  async sendUnsent(): Promise<number> {
    if (!this.gateway.enabled) return 0;
    const unsent = await this.dataSource.getRepository(Refund).find({ where: { status: 'unsent' }, order: { createdAt: 'ASC' }, take: BATCH, select: { id: true } });
    let sent = 0;
    for (const { id } of unsent) if ((await this.send(id)).status !== 'unsent') sent++;
    return sent;
  }

  /**
   * What Stripe says about one of our refunds (the answer to `create`, or a `refund.*` webhook). A failed or
   * cancelled refund gives its amount back to the intent's refundable amount.
   */
  async applyStripeRefund(manager: EntityManager, stripeRefund: Stripe.Refund): Promise<string> {
    const ours = stripeRefund.metadata?.refund_id;
    const refund = await manager
      .getRepository(Refund)
      .createQueryBuilder('r')
      .setLock('pessimistic_write')
      .where('r.stripe_refund_id = :sid', { sid: stripeRefund.id })
      .orWhere(ours && /^[0-9a-f-]{36}$/.test(ours) ? 'r.id = :ours' : 'false', { ours })
      .getOne();
    if (!refund) return 'ignored: not a refund of this platform';
    if (!refund.stripeRefundId) await manager.update(Refund, refund.id, { stripeRefundId: stripeRefund.id });
    const to = refundStatusOf(stripeRefund.status);
    if (refund.status === to) return `ignored: refund already ${to}`;
    const check = refundStateMachine.check(refund.status, to);
    if (!check.ok) return `ignored: ${check.reason}`;
    refund.status = to;
    await manager.update(Refund, refund.id, { status: to, lastError: stripeRefund.failure_reason ?? null });
    if (to === 'failed' || to === 'canceled') {
      await manager.query(`UPDATE payment_intents SET amount_refunded_fen = amount_refunded_fen - $2, updated_at = now() WHERE id = $1`, [refund.paymentIntentId, refund.amountFen]);
    }
    await this.outbox.write(manager, refundEvent(`refund.${to}`, refund));
    return `applied: refund ${to}`;
  }
}

function refundStatusOf(status: string | null): RefundStatus {
  if (status === 'succeeded' || status === 'failed' || status === 'canceled') return status;
  return 'pending';
}
