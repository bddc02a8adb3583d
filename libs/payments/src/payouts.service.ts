import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AppConfig, OutboxService } from '@chanxiao/core';
import type { Order } from '@chanxiao/orders';
import type { DataSource, EntityManager } from 'typeorm';
import { Payout } from './payment.entity';
import { payoutSplit } from './payout.util';
import { StripeGateway } from './stripe.gateway';

/** A held payout ready to send: its order completed and its seller's account can be paid out. */
interface DuePayout {
  order_id: string;
  order_group_id: string;
  seller_organization_id: string;
  total_fen: string;
  stripe_account_id: string;
  latest_charge: string | null;
}

/**
 * Seller payouts. Each online-paid order gets one `payouts` row when its payment arrives (`held`); once the order
 * is `completed`, the matcher's job sends one Stripe transfer of the order total (after any partial refunds)
 * minus the platform fee to the seller's Connect account. Exactly once, keyed by the order: the row is the
 * primary key, the job takes rows with `FOR UPDATE SKIP LOCKED` (two jobs never send the same one), and the
 * transfer's idempotency key is `payout-<orderId>` (a retry after a lost answer gets the same transfer).
 */
@Injectable()
export class PayoutsService {
  private readonly logger = new Logger(PayoutsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly gateway: StripeGateway,
    private readonly config: AppConfig,
    private readonly outbox: OutboxService,
  ) {}

  /** The order was paid online: hold its seller's payout until it completes (inside the payment's transaction). */
  async hold(manager: EntityManager, order: Order, paymentIntentId: string): Promise<void> {
    await manager.query(
      `INSERT INTO payouts (order_id, seller_organization_id, payment_intent_id, status) VALUES ($1, $2, $3, 'held') ON CONFLICT DO NOTHING`,
      [order.id, order.sellerOrganizationId, paymentIntentId],
    );
  }

  /** The paid order was cancelled and refunded whole: nothing will be paid out for it. */
  async void(manager: EntityManager, order: Order): Promise<void> {
    const [rows] = (await manager.query(`UPDATE payouts SET status = 'void' WHERE order_id = $1 AND status = 'held' RETURNING order_id`, [order.id])) as [unknown[], number];
    if (rows.length) await this.outbox.write(manager, { type: 'payout.void', aggregateType: 'payout', aggregateId: order.id, payload: { orderId: order.id, sellerOrganizationId: order.sellerOrganizationId } });
  }

  /**
   * The job: sends the payout of every completed order whose seller can be paid out, one transaction per payout
   * (the row stays locked while Stripe is asked). A failure is recorded on the row and retried next run.
   * Returns how many were sent.
   */
  async sendDue(): Promise<number> {
    if (!this.gateway.enabled) return 0;
    let after = '00000000-0000-0000-0000-000000000000';
    let sent = 0;
    for (;;) {
      const outcome = await this.dataSource.transaction(async (manager) => {
        const [due] = (await manager.query(
          `SELECT p.order_id, o.order_group_id, p.seller_organization_id, o.total_fen, a.stripe_account_id, pi.latest_charge
             FROM payouts p
             JOIN orders o ON o.id = p.order_id AND o.status = 'completed'
             JOIN stripe_accounts a ON a.organization_id = p.seller_organization_id AND a.payouts_enabled
             JOIN payment_intents pi ON pi.id = p.payment_intent_id
            WHERE p.status = 'held' AND p.order_id > $1
            ORDER BY p.order_id
            LIMIT 1
              FOR UPDATE OF p SKIP LOCKED`,
          [after],
        )) as DuePayout[];
        if (!due) return null;
        return { orderId: due.order_id, sent: await this.send(manager, due) };
      });
      if (!outcome) return sent;
      after = outcome.orderId;
      if (outcome.sent) sent++;
    }
  }

  private async send(manager: EntityManager, due: DuePayout): Promise<boolean> {
    const split = payoutSplit(Number(due.total_fen), this.config.STRIPE_PLATFORM_FEE_BPS, this.config.STRIPE_PLATFORM_FEE_FIXED_FEN);
    try {
      const transfer =
        split.amountFen > 0
          ? await this.gateway.createTransfer(
              {
                amount: split.amountFen,
                currency: 'cny',
                destination: due.stripe_account_id,
                transfer_group: due.order_group_id,
                ...(due.latest_charge ? { source_transaction: due.latest_charge } : {}),
                metadata: { order_id: due.order_id, order_total_fen: String(split.orderTotalFen), platform_fee_fen: String(split.platformFeeFen) },
              },
              `chanxiao-payout-${due.order_id}`,
            )
          : null;
      await manager.update(Payout, due.order_id, { status: 'sent', ...split, stripeTransferId: transfer?.id ?? null, sentAt: new Date(), lastError: null });
      await this.outbox.write(manager, {
        type: 'payout.sent',
        aggregateType: 'payout',
        aggregateId: due.order_id,
        payload: { orderId: due.order_id, sellerOrganizationId: due.seller_organization_id, ...split, stripeTransferId: transfer?.id ?? null },
      });
      return true;
    } catch (error) {
      this.logger.warn(`payout of order ${due.order_id} not sent (retried next run): ${(error as Error).message}`);
      await manager.query(`UPDATE payouts SET attempts = attempts + 1, last_error = $2 WHERE order_id = $1`, [due.order_id, (error as Error).message]);
      return false;
    }
  }
}
