import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfigOrExit, postgresOptions } from '@chanxiao/core';
import { MIGRATIONS } from './index';

/** `npm run migrate`: creates the database if it does not exist, then applies pending migrations. */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  await ensureDatabase(config.DATABASE_URL);
  const dataSource = new DataSource({ ...postgresOptions(config), migrations: MIGRATIONS, logging: ['error', 'migration'] });
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    process.stdout.write(applied.length ? `applied ${applied.map((m) => m.name).join(', ')}\n` : 'database is up to date\n');
  } finally {
    await dataSource.destroy();
  }
}

export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const { Client } = await import('pg');
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`migration failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  });
}
