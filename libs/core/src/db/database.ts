import type { Pool, PoolClient, QueryResultRow } from 'pg';
import { type DataSource, type DataSourceOptions, QueryFailedError } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import type { AppConfig } from '../config/app-config';

/**
 * PostgreSQL options shared by the apps, the migration runner and the tests. The schema changes only through
 * migrations: `synchronize` is always off.
 */
export function postgresOptions(config: AppConfig, url = config.DATABASE_URL): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    synchronize: false,
    migrationsRun: false,
    migrationsTableName: 'migrations',
    extra: { max: config.DB_POOL_SIZE, connectionTimeoutMillis: 5000 },
    // Query errors reach the exception filter, which logs the unexpected ones; TypeORM's console logger would
    // also print every expected unique violation.
    logging: false,
  };
}

/** TypeORM's own pg pool (the same connections): for what its `query()` cannot do, such as naming a statement. */
export function pgPool(dataSource: DataSource): Pool {
  return (dataSource.driver as PostgresDriver).master as Pool;
}

/**
 * Runs `text` as the named prepared statement `name` (one name per text, for the life of the process): PostgreSQL
 * parses it once per connection, and each later run sends only the values. For statements on a hot path whose text
 * is long (a checkout's CTE is several KB); on these machines every byte and system call on the socket shows. A
 * PostgreSQL error is rethrown as TypeORM's `QueryFailedError`, so callers and the exception filter see the usual one.
 */
export async function preparedQuery<T extends QueryResultRow>(on: Pool | PoolClient, name: string, text: string, values: unknown[]): Promise<T[]> {
  try {
    return (await on.query<T>({ name, text, values })).rows;
  } catch (error) {
    // A server error carries a SQLSTATE (five characters, e.g. 23514); a socket error an errno name (ECONNRESET).
    const code = (error as { code?: unknown } | null)?.code;
    if (error instanceof Error && typeof code === 'string' && /^(?!E[A-Z])[0-9A-Z]{5}$/.test(code)) throw new QueryFailedError(text, values, error);
    throw error;
  }
}
