import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type Stripe from 'stripe';
import type { DataSource, EntityManager } from 'typeorm';
import { ConnectService } from './connect.service';
import type { WebhookAnswer } from './dto/payment.dto';
import { StripeEventRecord } from './payment.entity';
import { PaymentIntentsService } from './payment-intents.service';
import { RefundsService } from './refunds.service';
import { StripeGateway } from './stripe.gateway';

/**
 * `POST /payments/stripe/webhook`: verifies the signature over the raw body, then records the event id and
 * applies the event in one transaction. A replayed id finds its row and has no second effect (a concurrent
 * replay waits on the primary key, then sees it); a failure rolls both back so Stripe's retry applies it.
 * Out-of-order events converge through the payment state machine (see {@link PaymentIntentsService}).
 */
@Injectable()
export class StripeWebhookService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly intents: PaymentIntentsService,
    private readonly refunds: RefundsService,
    private readonly connect: ConnectService,
    private readonly gateway: StripeGateway,
  ) {}

  /** Verifies and applies one delivery; 400 (nothing recorded) if the signature does not match the bytes. */
  handle(rawBody: Buffer | undefined, signature: string | undefined): Promise<WebhookAnswer> {
    return this.receive(this.gateway.verifyEvent(rawBody, signature));
  }

  async receive(event: Stripe.Event): Promise<WebhookAnswer> {
    const refundIds: string[] = [];
    const answer = await this.dataSource.transaction(async (manager) => {
      const object = event.data.object as { id?: string };
      const claimed: unknown[] = await manager.query(
        `INSERT INTO stripe_events (id, type, object_id, stripe_created_at, outcome) VALUES ($1, $2, $3, to_timestamp($4), 'applying')
         ON CONFLICT DO NOTHING RETURNING id`,
        [event.id, event.type, object.id ?? null, event.created],
      );
      if (claimed.length === 0) {
        const seen = await manager.getRepository(StripeEventRecord).findOneByOrFail({ id: event.id });
        return { received: true, duplicate: true, outcome: seen.outcome };
      }
      const outcome = await this.apply(manager, event, refundIds);
      await manager.update(StripeEventRecord, event.id, { outcome });
      return { received: true, duplicate: false, outcome };
    });
    // A refund for an order cancelled before the money arrived: asked of Stripe after commit (the job retries).
    for (const id of refundIds) await this.refunds.send(id);
    return answer;
  }

  private apply(manager: EntityManager, event: Stripe.Event, refundIds: string[]): Promise<string> {
    switch (event.type) {
      case 'payment_intent.succeeded':
        return this.intents.applySucceeded(manager, event.data.object, refundIds);
      case 'payment_intent.payment_failed':
        return this.intents.applyStatus(manager, event.data.object, 'failed');
      case 'payment_intent.canceled':
        return this.intents.applyStatus(manager, event.data.object, 'canceled');
      case 'payment_intent.processing':
        return this.intents.applyStatus(manager, event.data.object, 'processing');
      case 'refund.created':
      case 'refund.updated':
      case 'refund.failed':
        return this.refunds.applyStripeRefund(manager, event.data.object);
      case 'account.updated':
        return this.connect.applyAccount(manager, event.data.object);
      default:
        return Promise.resolve(`ignored: ${event.type} is not handled`);
    }
  }
}
