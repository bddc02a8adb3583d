import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsString, Matches, Max, Min, MinLength, validateSync } from 'class-validator';

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

  /** Largest spreadsheet accepted for import, in bytes, and most data rows. */
  @Transform(toInt) @IsInt() @Min(1024) IMPORT_MAX_BYTES = 10 * 1024 * 1024;
  @Transform(toInt) @IsInt() @Min(1) IMPORT_MAX_ROWS = 100_000;

  /** How often the outbox relay polls for unpublished events when no NOTIFY woke it (a missed notification). */
  @Transform(toInt) @IsInt() @Min(50) OUTBOX_POLL_INTERVAL_MS = 1000;

  /**
   * When the matcher generates every province's monthly report for the month before: a cron pattern in China
   * time (Asia/Shanghai). Default 01:00 on the 1st, so the reports are ready well before the 5th.
   */
  @Matches(/^\S+( \S+){4,5}$/, { message: 'must be a cron pattern of 5 or 6 fields' })
  MONTHLY_REPORT_CRON = '0 1 1 * *';

  /** Largest number of PostgreSQL connections each app process keeps. */
  @Transform(toInt) @IsInt() @Min(1) @Max(200) DB_POOL_SIZE = 10;
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
