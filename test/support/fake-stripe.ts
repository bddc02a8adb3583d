import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';

/** How the fake answers: normally, with Stripe's 500, never (the SDK times out), or not at all (connection refused). */
export type FakeStripeMode = 'ok' | 'error500' | 'timeout' | 'refuse';

export interface RecordedRequest {
  method: string;
  path: string;
  params: Record<string, any>;
  idempotencyKey: string | undefined;
  /** The answer came from the idempotency store: Stripe replayed an earlier result for this key. */
  replayed: boolean;
}

const SECRET_KEY = 'sk_test_chanxiao_fake_0123456789';
const WEBHOOK_SECRET = 'whsec_chanxiao_fake_0123456789';

/**
 * A small Stripe API of our own on node:http, for the real Stripe SDK (`STRIPE_API_URL`): PaymentIntents,
 * refunds, Connect accounts and account links, transfers. It checks the secret key, decodes Stripe's form
 * encoding, keeps objects in memory, honours idempotency keys as Stripe does (same key + same parameters → the
 * same answer again; same key + other parameters → 400 `idempotency_error`), refuses refunds beyond what was
 * received and transfers to unknown accounts, records every request, and can be switched to fail.
 * Failures happen before a request is handled, so, like a load balancer error, they store no idempotent result.
 */
export class FakeStripe {
  readonly secretKey = SECRET_KEY;
  readonly webhookSecret = WEBHOOK_SECRET;
  readonly requests: RecordedRequest[] = [];
  readonly paymentIntents = new Map<string, any>();
  readonly refunds = new Map<string, any>();
  readonly accounts = new Map<string, any>();
  readonly transfers = new Map<string, any>();
  private readonly idempotent = new Map<string, { hash: string; status: number; body: unknown }>();
  private readonly held = new Set<ServerResponse>();
  private readonly sdk = new Stripe(SECRET_KEY);
  private mode: FakeStripeMode = 'ok';
  private port = 0;

  private constructor(private readonly server: Server) {}

  static async start(): Promise<FakeStripe> {
    const fake: FakeStripe = new FakeStripe(createServer((req, res) => void fake.handle(req, res)));
    await fake.listen(0);
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Environment for an app that talks to this fake (no SDK retries, short timeout, so failure tests are quick). */
  env(overrides: Record<string, string> = {}): Record<string, string> {
    return {
      STRIPE_SECRET_KEY: this.secretKey,
      STRIPE_WEBHOOK_SECRET: this.webhookSecret,
      STRIPE_API_URL: this.url,
      STRIPE_TIMEOUT_MS: '1000',
      STRIPE_MAX_NETWORK_RETRIES: '0',
      ...overrides,
    };
  }

  async setMode(mode: FakeStripeMode): Promise<void> {
    const was = this.mode;
    this.mode = mode;
    for (const res of this.held) res.destroy();
    this.held.clear();
    if (mode === 'refuse' && was !== 'refuse') {
      const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
      this.server.closeAllConnections();
      await closed;
    }
    if (mode !== 'refuse' && was === 'refuse') await this.listen(this.port);
  }

  /** The customer paid: the intent succeeds with a charge (what Stripe does when the buyer confirms). Returns it for a webhook. */
  succeed(id: string): any {
    const intent = this.mustGet(this.paymentIntents, id);
    Object.assign(intent, { status: 'succeeded', amount_received: intent.amount, latest_charge: `ch_${token()}`, last_payment_error: null });
    return structuredClone(intent);
  }

  /** A payment attempt failed (declined card, abandoned wallet): Stripe asks for another payment method. */
  fail(id: string, message = 'Your card was declined.'): any {
    const intent = this.mustGet(this.paymentIntents, id);
    Object.assign(intent, { status: 'requires_payment_method', last_payment_error: { type: 'card_error', code: 'card_declined', message } });
    return structuredClone(intent);
  }

  /** The seller finished Stripe's onboarding form: the account can take transfers and be paid out. */
  completeOnboarding(id: string): any {
    const account = this.mustGet(this.accounts, id);
    Object.assign(account, { details_submitted: true, charges_enabled: true, payouts_enabled: true, capabilities: { transfers: 'active' } });
    return structuredClone(account);
  }

  /** A webhook event as Stripe sends it (snapshot payload). */
  event(type: string, object: unknown, id = `evt_${token()}`): { id: string; payload: string } {
    const event = { id, object: 'event', api_version: Stripe.API_VERSION, created: Math.floor(Date.now() / 1000), data: { object }, livemode: false, pending_webhooks: 1, request: { id: null, idempotency_key: null }, type };
    return { id, payload: JSON.stringify(event) };
  }

  /** The `Stripe-Signature` header for a payload, made by the real SDK. */
  sign(payload: string, secret = this.webhookSecret): string {
    return this.sdk.webhooks.generateTestHeaderString({ payload, secret });
  }

  /** Requests that created something (method POST) on a path. */
  posted(path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.method === 'POST' && r.path === path);
  }

  async close(): Promise<void> {
    for (const res of this.held) res.destroy();
    if (this.mode === 'refuse') return;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject);
        this.port = (this.server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = (req.url ?? '/').split('?')[0];
    const method = req.method ?? 'GET';
    const params = decodeForm(Buffer.concat(chunks).toString('utf8'));
    const idempotencyKey = req.headers['idempotency-key'] as string | undefined;
    const record: RecordedRequest = { method, path, params, idempotencyKey, replayed: false };
    this.requests.push(record);
    if (this.mode === 'timeout') {
      this.held.add(res);
      return;
    }
    if (this.mode === 'error500') return send(res, 500, stripeError('api_error', 'An unknown error occurred (fake Stripe in error500 mode).'));
    if (req.headers.authorization !== `Bearer ${this.secretKey}`) return send(res, 401, stripeError('invalid_request_error', 'Invalid API Key provided.'));
    if (method === 'POST' && idempotencyKey) {
      const hash = createHash('sha256').update(`${path} ${JSON.stringify(params)}`).digest('hex');
      const seen = this.idempotent.get(idempotencyKey);
      if (seen && seen.hash !== hash) {
        return send(res, 400, stripeError('idempotency_error', 'Keys for idempotent requests can only be used with the same parameters they were first used with.'));
      }
      if (seen) {
        record.replayed = true;
        return send(res, seen.status, seen.body, { 'idempotent-replayed': 'true' });
      }
      const [status, body] = this.route(method, path, params);
      this.idempotent.set(idempotencyKey, { hash, status, body });
      return send(res, status, body);
    }
    const [status, body] = this.route(method, path, params);
    send(res, status, body);
  }

  private route(method: string, path: string, p: Record<string, any>): [number, unknown] {
    const now = Math.floor(Date.now() / 1000);
    const [, version, resource, id, action] = path.split('/');
    if (version !== 'v1') return [404, stripeError('invalid_request_error', `Unrecognized request URL (${method}: ${path}).`)];
    const missing = (...names: string[]) => names.find((n) => p[n] === undefined || p[n] === '');
    const invalid = (message: string, param?: string): [number, unknown] => [400, stripeError('invalid_request_error', message, param)];
    const found = (map: Map<string, any>, kind: string): [number, unknown] =>
      map.has(id) ? [200, map.get(id)] : [404, stripeError('invalid_request_error', `No such ${kind}: '${id}'`, 'id')];

    if (resource === 'payment_intents') {
      if (method === 'POST' && !id) {
        const lacking = missing('amount', 'currency');
        if (lacking) return invalid(`Missing required param: ${lacking}.`, lacking);
        const intentId = `pi_${token()}`;
        const types = p.allowed_payment_method_types ?? p.payment_method_types ?? ['card'];
        const intent = {
          id: intentId, object: 'payment_intent', amount: Number(p.amount), amount_received: 0, currency: p.currency, status: 'requires_payment_method',
          client_secret: `${intentId}_secret_${token()}`, payment_method_types: types, allowed_payment_method_types: types, transfer_group: p.transfer_group ?? null,
          description: p.description ?? null, metadata: p.metadata ?? {}, latest_charge: null, last_payment_error: null, created: now, livemode: false,
        };
        this.paymentIntents.set(intentId, intent);
        return [200, intent];
      }
      if (method === 'GET' && id) return found(this.paymentIntents, 'payment_intent');
      if (method === 'POST' && action === 'cancel') {
        const intent = this.paymentIntents.get(id);
        if (!intent) return found(this.paymentIntents, 'payment_intent');
        if (intent.status === 'succeeded') return invalid('You cannot cancel this PaymentIntent because it has a status of succeeded.');
        intent.status = 'canceled';
        return [200, intent];
      }
    }
    if (resource === 'refunds' && method === 'POST' && !id) {
      const intent = this.paymentIntents.get(p.payment_intent);
      if (!intent) return invalid(`No such payment_intent: '${p.payment_intent}'`, 'payment_intent');
      if (intent.status !== 'succeeded') return invalid('This PaymentIntent does not have a successful charge to refund.', 'payment_intent');
      const refunded = [...this.refunds.values()].filter((r) => r.payment_intent === intent.id && r.status !== 'failed').reduce((sum, r) => sum + r.amount, 0);
      const amount = p.amount === undefined ? intent.amount_received - refunded : Number(p.amount);
      if (amount <= 0 || refunded + amount > intent.amount_received) {
        return [400, stripeError('invalid_request_error', `Refund amount (${amount}) is greater than unrefunded amount on charge (${intent.amount_received - refunded})`, 'amount', 'amount_too_large')];
      }
      const refund = { id: `re_${token()}`, object: 'refund', amount, currency: intent.currency, payment_intent: intent.id, charge: intent.latest_charge, status: 'succeeded', reason: p.reason ?? null, metadata: p.metadata ?? {}, failure_reason: null, created: now };
      this.refunds.set(refund.id, refund);
      return [200, refund];
    }
    if (resource === 'accounts') {
      if (method === 'POST' && !id) {
        const account = {
          id: `acct_${token()}`, object: 'account', type: p.type ?? 'standard', country: p.country ?? 'HK', default_currency: 'cny', details_submitted: false, charges_enabled: false,
          payouts_enabled: false, capabilities: { transfers: 'inactive' }, metadata: p.metadata ?? {}, created: now,
        };
        this.accounts.set(account.id, account);
        return [200, account];
      }
      if (method === 'GET' && id) return found(this.accounts, 'account');
    }
    if (resource === 'account_links' && method === 'POST') {
      const lacking = missing('account', 'type', 'return_url', 'refresh_url');
      if (lacking) return invalid(`Missing required param: ${lacking}.`, lacking);
      if (!this.accounts.has(p.account)) return invalid(`No such account: '${p.account}'`, 'account');
      return [200, { object: 'account_link', created: now, expires_at: now + 300, url: `https://connect.stripe.com/setup/e/${p.account}/${token()}` }];
    }
    if (resource === 'transfers' && method === 'POST' && !id) {
      const lacking = missing('amount', 'currency', 'destination');
      if (lacking) return invalid(`Missing required param: ${lacking}.`, lacking);
      if (!this.accounts.has(p.destination)) return invalid(`No such destination: '${p.destination}'`, 'destination');
      const transfer = {
        id: `tr_${token()}`, object: 'transfer', amount: Number(p.amount), currency: p.currency, destination: p.destination, transfer_group: p.transfer_group ?? null,
        source_transaction: p.source_transaction ?? null, metadata: p.metadata ?? {}, reversed: false, created: now, livemode: false,
      };
      this.transfers.set(transfer.id, transfer);
      return [200, transfer];
    }
    return [404, stripeError('invalid_request_error', `Unrecognized request URL (${method}: ${path}).`)];
  }

  private mustGet(map: Map<string, any>, id: string): any {
    const value = map.get(id);
    if (!value) throw new Error(`fake Stripe has no ${id}`);
    return value;
  }
}

function token(): string {
  return randomBytes(12).toString('base64url').replace(/[-_]/g, 'x');
}

function stripeError(type: string, message: string, param?: string, code?: string) {
  return { error: { type, message, ...(param ? { param } : {}), ...(code ? { code } : {}) } };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_${token()}`, ...headers });
  res.end(JSON.stringify(body));
}

/** Stripe's form encoding (`metadata[order_id]=…`, `list[0]=…`) back into objects; values stay strings. */
export function decodeForm(body: string): Record<string, any> {
  const out: Record<string, any> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = key.replace(/\]/g, '').split('[');
    let node = out;
    path.forEach((part, i) => {
      if (i === path.length - 1) node[part] = value;
      else node = node[part] ??= {};
    });
  }
  return arraysOf(out) as Record<string, any>;
}

// `list[0]=a&list[1]=b` decodes to { 0: 'a', 1: 'b' }: make such objects arrays again.
function arraysOf(value: unknown): unknown {
  if (!value || typeof value !== 'object') return value;
  const entries = Object.entries(value).map(([k, v]) => [k, arraysOf(v)] as const);
  const indexed = entries.length > 0 && entries.every(([k], i) => k === String(i));
  return indexed ? entries.map(([, v]) => v) : Object.fromEntries(entries);
}

