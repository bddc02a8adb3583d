import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type Stripe from 'stripe';
import { AppConfig, DomainError, OutboxService, uuidOrNone } from '@chanxiao/core';
import { Order, OrderGroup, OrderLifecycleService } from '@chanxiao/orders';
import type { DataSource, EntityManager } from 'typeorm';
import type { GroupPaymentsView, PaymentView } from './dto/payment.dto';
import { PaymentIntentRecord, Refund, RefundLine } from './payment.entity';
import { paymentStateMachine, paymentStatusOf, type PaymentStatus } from './payment.state-machine';
import { paymentEvent, toPaymentView, toRefundView } from './payment.view';
import { PayoutsService } from './payouts.service';
import { RefundsService } from './refunds.service';
import { StripeGateway } from './stripe.gateway';

/**
 * One Stripe PaymentIntent per order group (every seller's order, one charge, CNY), and what its webhook events do
 * to the orders. Creating an intent happens after the checkout committed, never inside its statement: Stripe
 * being down cannot undo or half-write a checkout; the orders stay `pending_payment` until paid or past `payBy`.
 */
@Injectable()
export class PaymentIntentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly gateway: StripeGateway,
    private readonly config: AppConfig,
    private readonly outbox: OutboxService,
    private readonly lifecycle: OrderLifecycleService,
    private readonly payouts: PayoutsService,
    private readonly refunds: RefundsService,
  ) {}

  /**
   * The group's PaymentIntent to pay with: the recorded one unless Stripe cancelled it, otherwise a new one
   * created with the idempotency key `pi-<group>-<attempt>`, so concurrent or repeated calls get the same intent.
   */
  async ensure(buyerOrganizationId: string, groupId: string): Promise<PaymentView> {
    this.gateway.assertEnabled();
    const group = await this.groupOf(buyerOrganizationId, groupId);
    const latest = await this.dataSource.getRepository(PaymentIntentRecord).findOne({ where: { orderGroupId: group.id }, order: { attempt: 'DESC' } });
    if (latest && latest.status !== 'canceled') return this.view(latest);
    const orders = await this.dataSource.getRepository(Order).find({ where: { orderGroupId: group.id }, select: { id: true, status: true } });
    if (!orders.some((o) => o.status === 'pending_payment')) {
      throw new DomainError('conflict', 'payments.nothing_to_pay', `no order of group ${group.id} is awaiting payment (${orders.map((o) => o.status).join(', ')})`);
    }
    const attempt = (latest?.attempt ?? 0) + 1;
    const intent = await this.gateway.createPaymentIntent(
      {
        amount: group.totalFen,
        currency: 'cny',
        allowed_payment_method_types: this.paymentMethodTypes,
        transfer_group: group.id,
        description: `产销通 order group ${group.id}`,
        metadata: { order_group_id: group.id, attempt: String(attempt), buyer_organization_id: buyerOrganizationId },
      },
      `chanxiao-pi-${group.id}-${attempt}`,
    );
    const record = await this.adopt(this.dataSource.manager, intent);
    if (!record) throw new Error(`PaymentIntent ${intent.id} for group ${group.id} could not be recorded`);
    return this.view(record);
  }

  /** Everything paid and paid back for a buyer's order group. */
  async groupPayments(buyerOrganizationId: string, groupId: string): Promise<GroupPaymentsView> {
    const group = await this.groupOf(buyerOrganizationId, groupId);
    const intents = await this.dataSource.getRepository(PaymentIntentRecord).find({ where: { orderGroupId: group.id }, order: { attempt: 'ASC' } });
    const refunds = intents.length
      ? await this.dataSource.getRepository(Refund).createQueryBuilder('r').where('r.payment_intent_id IN (:...ids)', { ids: intents.map((i) => i.id) }).orderBy('r.created_at').getMany()
      : [];
    const lines = refunds.length ? await this.dataSource.getRepository(RefundLine).createQueryBuilder('l').where('l.refund_id IN (:...ids)', { ids: refunds.map((r) => r.id) }).getMany() : [];
    return {
      orderGroupId: group.id,
      payments: intents.map((i) => this.view(i)),
      refunds: refunds.map((r) => toRefundView(r, lines.filter((l) => l.refundId === r.id))),
    };
  }

  /**
   * `payment_intent.succeeded`: the intent is paid and every order of the group still pending becomes paid (stock
   * sold, payout held for its seller). An order the buyer or the deadline cancelled before the money arrived is
   * refunded whole. A second `succeeded` (another event id) finds nothing pending and changes nothing.
   * Returns the outcome to record; `refundIds` collects refunds to send to Stripe after commit.
   */
  async applySucceeded(manager: EntityManager, intent: Stripe.PaymentIntent, refundIds: string[]): Promise<string> {
    const record = await this.lockOrAdopt(manager, intent);
    if (!record) return 'ignored: not a PaymentIntent of this platform';
    const refused = this.refusal(record.status, 'succeeded');
    if (refused) return refused;
    record.status = 'succeeded';
    record.amountReceivedFen = intent.amount_received;
    record.latestCharge = typeof intent.latest_charge === 'string' ? intent.latest_charge : (intent.latest_charge?.id ?? null);
    record.lastError = null;
    await manager.update(PaymentIntentRecord, record.id, { status: record.status, amountReceivedFen: record.amountReceivedFen, latestCharge: record.latestCharge, lastError: null });
    await this.outbox.write(manager, paymentEvent('payment.succeeded', record));
    const orders = await manager.getRepository(Order).find({ where: { orderGroupId: record.orderGroupId }, order: { id: 'ASC' }, lock: { mode: 'pessimistic_write' } });
    let paid = 0;
    let refunded = 0;
    for (const order of orders) {
      if (order.status === 'pending_payment') {
        await this.lifecycle.markPaid(manager, order);
        await this.payouts.hold(manager, order, record.id);
        paid++;
      } else if (order.status === 'cancelled') {
        refundIds.push((await this.refunds.refundWholeOrder(manager, record.id, order, 'paid_after_cancellation')).id);
        refunded++;
      }
    }
    return `applied: ${paid} orders paid${refunded ? `, ${refunded} cancelled before payment refunded` : ''}`;
  }

  /** `payment_intent.payment_failed | canceled | processing`: the intent's status only; the orders stay payable until `payBy`. */
  async applyStatus(manager: EntityManager, intent: Stripe.PaymentIntent, to: PaymentStatus): Promise<string> {
    const record = await this.lockOrAdopt(manager, intent);
    if (!record) return 'ignored: not a PaymentIntent of this platform';
    const refused = this.refusal(record.status, to);
    if (refused) return refused;
    record.status = to;
    record.lastError = to === 'failed' ? (intent.last_payment_error?.message ?? 'payment failed') : record.lastError;
    await manager.update(PaymentIntentRecord, record.id, { status: to, lastError: record.lastError });
    await this.outbox.write(manager, paymentEvent(`payment.${to}`, record));
    return `applied: payment ${to}`;
  }

  /**
   * Records a PaymentIntent of ours (its metadata names one of our order groups) if it is not recorded yet: the
   * normal path after `create`, and a webhook arriving for an intent whose creation answer was lost. Another
   * intent already recorded for the same group and attempt wins (Stripe forgets idempotency keys after 24 h).
   */
  async adopt(manager: EntityManager, intent: Stripe.PaymentIntent): Promise<PaymentIntentRecord | null> {
    const groupId = intent.metadata?.order_group_id;
    const attempt = Number(intent.metadata?.attempt);
    if (!groupId || uuidOrNone(groupId) !== groupId || !Number.isInteger(attempt) || attempt < 1) return null;
    await manager.query(
      `INSERT INTO payment_intents (id, order_group_id, attempt, status, currency, amount_fen, client_secret)
       SELECT $1, $2, $3, $4, $5, $6, $7 WHERE EXISTS (SELECT 1 FROM order_groups WHERE id = $2)
       ON CONFLICT DO NOTHING`,
      [intent.id, groupId, attempt, paymentStatusOf(intent.status), intent.currency, intent.amount, intent.client_secret ?? ''],
    );
    return manager.getRepository(PaymentIntentRecord).findOneBy({ orderGroupId: groupId, attempt });
  }

  /** The succeeded intent of a group, locked (refunds change its refunded amount). */
  async lockSucceeded(manager: EntityManager, orderGroupId: string): Promise<PaymentIntentRecord | null> {
    return manager.getRepository(PaymentIntentRecord).findOne({ where: { orderGroupId, status: 'succeeded' }, lock: { mode: 'pessimistic_write' } });
  }

  private async lockOrAdopt(manager: EntityManager, intent: Stripe.PaymentIntent): Promise<PaymentIntentRecord | null> {
    const locked = () => manager.getRepository(PaymentIntentRecord).findOne({ where: { id: intent.id }, lock: { mode: 'pessimistic_write' } });
    const found = await locked();
    if (found) return found;
    const adopted = await this.adopt(manager, intent);
    return adopted && adopted.id === intent.id ? locked() : null;
  }

  // Webhooks come late, twice and out of order: an event whose transition is not allowed is recorded, not applied.
  private refusal(from: PaymentStatus, to: PaymentStatus): string | null {
    if (from === to) return `ignored: payment already ${to}`;
    const check = paymentStateMachine.check(from, to);
    return check.ok ? null : `ignored: ${check.reason}`;
  }

  private async groupOf(buyerOrganizationId: string, groupId: string): Promise<OrderGroup> {
    const group = await this.dataSource.getRepository(OrderGroup).findOneBy({ id: uuidOrNone(groupId), buyerOrganizationId });
    if (!group) throw DomainError.notFound('order_group', groupId);
    if (group.paymentMethod !== 'stripe') {
      throw new DomainError('conflict', 'payments.not_online', `order group ${group.id} is paid by ${group.paymentMethod}, not online`);
    }
    return group;
  }

  private view(record: PaymentIntentRecord): PaymentView {
    return toPaymentView(record, this.paymentMethodTypes);
  }

  private get paymentMethodTypes(): string[] {
    return this.config.STRIPE_PAYMENT_METHOD_TYPES.split(',');
  }
}
