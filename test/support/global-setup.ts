import './resolve-aliases';
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '@chanxiao/migrations';
import { databaseUrl, dropDatabase, templateDatabase, withAdminClient } from './test-run';

const STALE_AFTER_MS = 6 * 3600 * 1000;

/**
 * Once per test run: a template database with every migration applied (reference data included). Each test
 * file clones it (`CREATE DATABASE … TEMPLATE`), which takes a fraction of a second.
 */
export default async function globalSetup(): Promise<void> {
  process.env.CHANXIAO_TEST_RUN ??= `${Date.now().toString(36)}_${process.pid}`;
  const template = templateDatabase();
  await withAdminClient(async (client) => {
    await dropStaleDatabases(client);
    await dropDatabase(client, template);
    await client.query(`CREATE DATABASE "${template}"`);
  });
  const dataSource = new DataSource({ type: 'postgres', url: databaseUrl(template), migrations: MIGRATIONS, logging: ['error'] });
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await dataSource.destroy();
  }
}

// Databases left by runs that crashed before their teardown: dropped once they are clearly abandoned.
async function dropStaleDatabases(client: import('pg').Client): Promise<void> {
  const { rows } = await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'chanxiao\\_test\\_%'`);
  for (const { datname } of rows) {
    const started = parseInt(datname.split('_')[2] ?? '', 36);
    if (Number.isFinite(started) && Date.now() - started > STALE_AFTER_MS) await dropDatabase(client, datname);
  }
}
