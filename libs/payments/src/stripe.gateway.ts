import { Injectable, Logger } from '@nestjs/common';
import Stripe from 'stripe';
import { AppConfig, DomainError } from '@chanxiao/core';

/**
 * Every call this platform makes to Stripe, with the official SDK. Each call that creates something carries an
 * idempotency key derived from our own record (the order group and attempt, the refund id, the order id, the
 * organisation id), so a retry — by the SDK, by a job or by a buyer — returns the same object instead of
 * charging, refunding or transferring twice. Failures become a {@link DomainError}: 503 when Stripe did not
 * answer (connection refused, timeout, rate limit), 502 when it answered with an error; never a 500.
 */
@Injectable()
export class StripeGateway {
  private readonly logger = new Logger(StripeGateway.name);
  private readonly client: Stripe | null;

  constructor(private readonly config: AppConfig) {
    this.client = config.stripeEnabled ? createStripeClient(config) : null;
  }

  get enabled(): boolean {
    return this.client !== null;
  }

  /** Throws the answer for a server without Stripe configured. */
  assertEnabled(field = 'paymentMethod'): void {
    if (!this.client) throw disabledError(field);
  }

  createPaymentIntent(params: Stripe.PaymentIntentCreateParams, idempotencyKey: string): Promise<Stripe.PaymentIntent> {
    return this.call('create the PaymentIntent', (s) => s.paymentIntents.create(params, { idempotencyKey }));
  }

  createRefund(params: Stripe.RefundCreateParams, idempotencyKey: string): Promise<Stripe.Refund> {
    return this.call('create the refund', (s) => s.refunds.create(params, { idempotencyKey }));
  }

  createExpressAccount(params: Stripe.AccountCreateParams, idempotencyKey: string): Promise<Stripe.Account> {
    return this.call('create the Connect account', (s) => s.accounts.create({ ...params, type: 'express' }, { idempotencyKey }));
  }

  retrieveAccount(id: string): Promise<Stripe.Account> {
    return this.call('read the Connect account', (s) => s.accounts.retrieve(id));
  }

  createAccountLink(params: Stripe.AccountLinkCreateParams): Promise<Stripe.AccountLink> {
    return this.call('create the onboarding link', (s) => s.accountLinks.create(params));
  }

  createTransfer(params: Stripe.TransferCreateParams, idempotencyKey: string): Promise<Stripe.Transfer> {
    return this.call('create the transfer', (s) => s.transfers.create(params, { idempotencyKey }));
  }

  /** Verifies a webhook's `Stripe-Signature` over the exact bytes received; 400 naming the header if it does not match. */
  verifyEvent(rawBody: Buffer | undefined, signature: string | undefined): Stripe.Event {
    const client = this.client;
    if (!client) throw new DomainError('not_found', 'payments.disabled', 'online payment is not enabled on this server');
    if (!rawBody || !signature) {
      throw DomainError.validation('payments.bad_signature', [{ field: 'Stripe-Signature', message: 'header and a JSON body are required' }]);
    }
    try {
      return client.webhooks.constructEvent(rawBody, signature, this.config.STRIPE_WEBHOOK_SECRET);
    } catch (error) {
      throw DomainError.validation('payments.bad_signature', [{ field: 'Stripe-Signature', message: `does not verify: ${(error as Error).message}` }]);
    }
  }

  private async call<T>(what: string, run: (client: Stripe) => Promise<T>): Promise<T> {
    if (!this.client) throw disabledError('paymentMethod');
    try {
      return await run(this.client);
    } catch (error) {
      throw providerError(error, what, this.logger);
    }
  }
}

/** The SDK pointed at Stripe, or at `STRIPE_API_URL` (a local fake in the tests). */
export function createStripeClient(config: AppConfig): Stripe {
  const api = config.STRIPE_API_URL ? new URL(config.STRIPE_API_URL) : undefined;
  return new Stripe(config.STRIPE_SECRET_KEY, {
    timeout: config.STRIPE_TIMEOUT_MS,
    maxNetworkRetries: config.STRIPE_MAX_NETWORK_RETRIES,
    telemetry: false,
    appInfo: { name: 'chanxiao' },
    ...(api ? { host: api.hostname, port: api.port || (api.protocol === 'https:' ? 443 : 80), protocol: api.protocol === 'https:' ? 'https' : 'http' } : {}),
  });
}

/** 400 naming `field`: this server has no STRIPE_SECRET_KEY, so it takes bank transfers only. */
export function disabledError(field: string): DomainError {
  const advice = field === 'paymentMethod' ? '; use bank_transfer' : '; orders here are paid by bank transfer only';
  return DomainError.validation('payments.disabled', [{ field, message: `online payment (stripe) is not enabled on this server (STRIPE_SECRET_KEY is not set)${advice}` }]);
}

/** A failed Stripe call as the answer to give: 503 if Stripe was unreachable or busy, 502 if it refused. */
export function providerError(error: unknown, what: string, logger?: Logger): DomainError {
  if (error instanceof DomainError) return error;
  const stripeError = error instanceof Stripe.errors.StripeError ? error : undefined;
  logger?.warn(`Stripe: could not ${what}: ${(error as Error)?.message ?? String(error)}`);
  if (!stripeError) return new DomainError('bad_gateway', 'payments.provider_error', `the payment provider (Stripe) failed to ${what}: ${(error as Error)?.message ?? 'unknown error'}`);
  if (stripeError instanceof Stripe.errors.StripeConnectionError || stripeError instanceof Stripe.errors.StripeRateLimitError) {
    return new DomainError('unavailable', 'payments.provider_unavailable', `the payment provider (Stripe) is unavailable and could not ${what}; try again shortly`);
  }
  return new DomainError('bad_gateway', 'payments.provider_error', `the payment provider (Stripe) could not ${what}: ${stripeError.message}`);
}
