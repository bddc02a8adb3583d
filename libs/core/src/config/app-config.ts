import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsString, Matches, Max, Min, MinLength, ValidateIf, validateSync } from 'class-validator';

const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));

/**
 * Every environment variable the apps read, validated once at boot. Defaults suit a developer machine with
 * PostgreSQL and Redis on localhost; production sets them explicitly.
 */
export class AppConfig {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: 'development' | 'test' | 'production' = 'development';

  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'must be a postgres:// URL' })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/chanxiao';

  @Matches(/^rediss?:\/\/\S+$/, { message: 'must be a redis:// URL' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  /** Every Redis key (BullMQ queues included) starts with this, so several deployments or test runs can share one Redis. */
  @Matches(/^[A-Za-z0-9:_-]{1,64}$/, { message: 'must be 1-64 characters of A-Z a-z 0-9 : _ -' })
  REDIS_PREFIX = 'chanxiao';

  @IsString()
  @MinLength(32, { message: 'must be at least 32 characters' })
  JWT_SECRET = '';

  /** Lifetime of an access token in seconds. */
  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(7 * 24 * 3600)
  JWT_TTL_SECONDS = 8 * 3600;

  @Transform(toInt) @IsInt() @Min(0) @Max(65535) SELLER_PORT = 3001;
  @Transform(toInt) @IsInt() @Min(0) @Max(65535) BUYER_PORT = 3002;
  @Transform(toInt) @IsInt() @Min(0) @Max(65535) MATCHER_PORT = 3003;
  @Transform(toInt) @IsInt() @Min(0) @Max(65535) AGENCY_PORT = 3004;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** Largest JSON body accepted, in bytes; a larger one answers 413. */
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  BODY_LIMIT_BYTES = 1024 * 1024;

  /** Failed logins allowed per phone number, and per client IP, within LOGIN_WINDOW_SECONDS. */
  @Transform(toInt) @IsInt() @Min(1) LOGIN_MAX_FAILURES_PER_PHONE = 5;
  @Transform(toInt) @IsInt() @Min(1) LOGIN_MAX_FAILURES_PER_IP = 30;
  @Transform(toInt) @IsInt() @Min(1) LOGIN_WINDOW_SECONDS = 15 * 60;

  /** How often the matcher looks for lots past their best-before date. */
  @Transform(toInt) @IsInt() @Min(10) LISTING_EXPIRY_INTERVAL_SECONDS = 600;

  /** How often the matcher looks for demands past their deliver-by date. */
  @Transform(toInt) @IsInt() @Min(10) DEMAND_EXPIRY_INTERVAL_SECONDS = 600;

  /** Minutes a buyer has to pay an order before it cancels itself and its stock returns. */
  @Transform(toInt) @IsInt() @Min(1) ORDER_PAY_WITHIN_MINUTES = 48 * 60;

  /** Days after delivery an order completes by itself. */
  @Transform(toInt) @IsInt() @Min(0) ORDER_AUTO_COMPLETE_DAYS = 7;

  /** How often the matcher sweeps for unpaid orders past their deadline (a lost delayed job) and orders to complete. */
  @Transform(toInt) @IsInt() @Min(5) ORDER_SWEEP_INTERVAL_SECONDS = 300;

  /** Imports with more rows than this run as a background job instead of inside the request. */
  @Transform(toInt) @IsInt() @Min(1) IMPORT_SYNC_MAX_ROWS = 10_000;

  /** Largest uploaded file (a spreadsheet to import, a lot photo), in bytes, and most data rows of an import. */
  @Transform(toInt) @IsInt() @Min(1024) IMPORT_MAX_BYTES = 10 * 1024 * 1024;
  @Transform(toInt) @IsInt() @Min(1) IMPORT_MAX_ROWS = 100_000;

  /**
   * Where lot photos are kept (the local-directory photo storage): created if missing. The seller and buyer apps
   * both serve photos from it, so on more than one host it must be a shared volume.
   */
  @IsString()
  @MinLength(1, { message: 'must be a directory path' })
  PHOTO_STORAGE_DIR = './var/photos';

  /**
   * What photo URLs in listing views start with, before the storage key: the apps' own `/media/photos` by default,
   * or an absolute URL of a CDN in front of them.
   */
  @Matches(/^(\/|https?:\/\/[^/\s]+\/?)\S*$/, { message: 'must be a path starting with / or an http(s) URL' })
  PHOTO_PUBLIC_URL = '/media/photos';

  /**
   * The buyer app's public origin (`https://buy.example.cn`), for the absolute URLs of the public lot pages: their
   * QR codes, Open Graph tags and buy links. Unset: taken from each request's Host and X-Forwarded-Proto, which a
   * production deployment behind a shared cache should not rely on.
   */
  @ValidateIf((c: AppConfig) => c.PUBLIC_BASE_URL !== '')
  @Matches(/^https?:\/\/[^/\s]+\/?$/, { message: 'must be an http(s)://host[:port] URL, or unset to use the request host' })
  PUBLIC_BASE_URL = '';

  /** Requests per client IP per minute to the public pages (`/l/…`, `/c/…`); past it they answer a 429 page. */
  @Transform(toInt) @IsInt() @Min(1) PUBLIC_PAGE_RATE_LIMIT_PER_MINUTE = 120;

  /** How often the outbox relay polls for unpublished events when no NOTIFY woke it (a missed notification). */
  @Transform(toInt) @IsInt() @Min(50) OUTBOX_POLL_INTERVAL_MS = 1000;

  /** After a NOTIFY wakes the relay, it waits this long for more writes to commit before relaying them together. */
  @Transform(toInt) @IsInt() @Min(0) @Max(1000) OUTBOX_RELAY_COALESCE_MS = 10;

  /** Hours a matcher proposal holds its stock before it expires and the hold is released. */
  @Transform(toInt) @IsInt() @Min(1) PROPOSAL_TTL_HOURS = 48;

  /** Most live proposals one demand may have at once, and one lot: one big buyer cannot freeze a cooperative's stock. */
  @Transform(toInt) @IsInt() @Min(1) MATCH_MAX_PROPOSALS_PER_DEMAND = 5;
  @Transform(toInt) @IsInt() @Min(1) MATCH_MAX_PROPOSALS_PER_LOT = 10;

  /** Percent of a lot's stock (available + reserved) that proposals to any one buyer organisation may hold. */
  @Transform(toInt) @IsInt() @Min(1) @Max(100) MATCH_MAX_BUYER_SHARE_PERCENT = 60;

  /** How often the matcher sweeps for proposals past their expiry whose delayed job was lost. */
  @Transform(toInt) @IsInt() @Min(5) PROPOSAL_SWEEP_INTERVAL_SECONDS = 300;

  /** Minutes between global re-optimisations (0: only on demand, `npm run cli -- match:optimize`). */
  @Transform(toInt) @IsInt() @Min(0) MATCH_OPTIMIZE_INTERVAL_MINUTES = 60;

  /**
   * Score weights as JSON, merged over the defaults in docs/matching.md, e.g. `{"supervisedCounty":8}`.
   * Checked at boot: a weight out of range stops the matcher with a message naming it.
   */
  @IsString() MATCH_WEIGHTS = '';

  /**
   * When the matcher generates every province's monthly report for the month before: a cron pattern in China
   * time (Asia/Shanghai). Default 01:00 on the 1st, so the reports are ready well before the 5th.
   */
  @Matches(/^\S+( \S+){4,5}$/, { message: 'must be a cron pattern of 5 or 6 fields' })
  MONTHLY_REPORT_CRON = '0 1 1 * *';

  /** Largest number of PostgreSQL connections each app process keeps. */
  @Transform(toInt) @IsInt() @Min(1) @Max(200) DB_POOL_SIZE = 10;

  /**
   * Stripe secret key (`sk_test_…` or `sk_live_…`). Unset: online payment is off, orders are paid by bank
   * transfer only (`/health` says so, and `paymentMethod: 'stripe'` answers 400).
   */
  @ValidateIf((c: AppConfig) => c.STRIPE_SECRET_KEY !== '')
  @Matches(/^(sk|rk)_(test|live)_\S+$/, { message: 'must be a Stripe secret key (sk_test_… or sk_live_…), or unset to turn online payment off' })
  STRIPE_SECRET_KEY = '';

  /** Signing secret of the webhook endpoint (`whsec_…`); required with STRIPE_SECRET_KEY. */
  @ValidateIf((c: AppConfig) => c.STRIPE_SECRET_KEY !== '' || c.STRIPE_WEBHOOK_SECRET !== '')
  @Matches(/^whsec_\S+$/, { message: 'must be a webhook signing secret (whsec_…); required with STRIPE_SECRET_KEY' })
  STRIPE_WEBHOOK_SECRET = '';

  /**
   * Stripe publishable key (`pk_test_…`/`pk_live_…`): the buyer web app loads Stripe's Payment Element with it.
   * Unset with a secret key set: the web app creates the PaymentIntent but cannot show the element.
   */
  @ValidateIf((c: AppConfig) => c.STRIPE_PUBLISHABLE_KEY !== '')
  @Matches(/^pk_(test|live)_\S+$/, { message: 'must be a Stripe publishable key (pk_test_… or pk_live_…), or unset' })
  STRIPE_PUBLISHABLE_KEY = '';

  /** The platform's fee on each seller payout, in basis points of the order total (100 = 1%), plus a fixed part in fen. */
  @Transform(toInt) @IsInt() @Min(0) @Max(10_000) STRIPE_PLATFORM_FEE_BPS = 100;
  @Transform(toInt) @IsInt() @Min(0) STRIPE_PLATFORM_FEE_FIXED_FEN = 0;

  /** Payment method types offered on each PaymentIntent, comma-separated. */
  @Matches(/^(card|alipay|wechat_pay)(,(card|alipay|wechat_pay))*$/, { message: 'must be a comma-separated list of card, alipay, wechat_pay' })
  STRIPE_PAYMENT_METHOD_TYPES = 'card,alipay,wechat_pay';

  /** Where the Stripe SDK sends API calls; unset means Stripe itself. Tests point it at a local fake server. */
  @ValidateIf((c: AppConfig) => c.STRIPE_API_URL !== '')
  @Matches(/^https?:\/\/[^/\s]+\/?$/, { message: 'must be an http(s)://host[:port] URL, or unset for api.stripe.com' })
  STRIPE_API_URL = '';

  /** How long one Stripe API call may take, and how many times the SDK retries a failed one (same idempotency key). */
  @Transform(toInt) @IsInt() @Min(100) STRIPE_TIMEOUT_MS = 10_000;
  @Transform(toInt) @IsInt() @Min(0) @Max(5) STRIPE_MAX_NETWORK_RETRIES = 1;

  /** Where Stripe sends a seller after Connect onboarding (return) or when the link expired (refresh). */
  @Matches(/^https?:\/\/\S+$/, { message: 'must be an http(s) URL' })
  STRIPE_CONNECT_RETURN_URL = 'http://localhost:3001/connect/return';
  @Matches(/^https?:\/\/\S+$/, { message: 'must be an http(s) URL' })
  STRIPE_CONNECT_REFRESH_URL = 'http://localhost:3001/connect/refresh';

  /** How often the matcher sends seller payouts for completed orders and retries refunds Stripe did not take. */
  @Transform(toInt) @IsInt() @Min(5) PAYMENTS_INTERVAL_SECONDS = 300;

  /** 消费扶贫 pooled demand: a pool is full at this many kg (one truckload). */
  @Transform(toInt) @IsInt() @Min(1) @Max(1_000_000) POOL_TRUCKLOAD_KG = 30_000;

  /** How often the matcher fails open pools past their join-by deadline (joining after it is refused at once). */
  @Transform(toInt) @IsInt() @Min(5) POOL_SWEEP_INTERVAL_SECONDS = 300;

  /** Whether online payment (Stripe) is configured. */
  get stripeEnabled(): boolean {
    return this.STRIPE_SECRET_KEY !== '';
  }
}

export type AppPort = 'SELLER_PORT' | 'BUYER_PORT' | 'MATCHER_PORT' | 'AGENCY_PORT';

export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(`Invalid configuration: ${problems.map((p) => `${p.variable} ${p.message}`).join('; ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads the environment into a validated {@link AppConfig}. Throws {@link ConfigError} naming every bad or
 * missing variable; callers at boot let it stop the process.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const known = Object.keys(new AppConfig());
  const picked = Object.fromEntries(Object.entries(env).filter(([k, v]) => v !== undefined && known.includes(k)));
  const config = plainToInstance(AppConfig, picked, { exposeDefaultValues: true });
  const errors = validateSync(config);
  if (errors.length > 0) {
    throw new ConfigError(
      errors.map((e) => ({
        variable: e.property,
        message: picked[e.property] === undefined ? 'is missing' : Object.values(e.constraints ?? {}).join(', '),
      })),
    );
  }
  return config;
}
