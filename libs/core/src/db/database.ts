import type { DataSourceOptions } from 'typeorm';
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
