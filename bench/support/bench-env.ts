import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { type AppConfig, loadConfig } from '@chanxiao/core';
import { MIGRATIONS } from '@chanxiao/migrations';
import { REDIS_URL, databaseUrl, deleteRedisKeys, dropDatabase, withAdminClient } from '../../test/support/test-run';

/** A migrated database and Redis prefix of its own for one benchmark run; `destroy()` drops them. */
export async function createBenchEnv(name: string): Promise<{ config: AppConfig; destroy(): Promise<void> }> {
  const id = `chanxiao_bench_${name}_${randomBytes(3).toString('hex')}`;
  await withAdminClient((client) => client.query(`CREATE DATABASE "${id}"`));
  const url = databaseUrl(id);
  const dataSource = await new DataSource({ type: 'postgres', url, migrations: MIGRATIONS }).initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  await dataSource.destroy();
  const config = loadConfig({ DATABASE_URL: url, REDIS_URL, REDIS_PREFIX: `chanxiao-bench:${id}`, JWT_SECRET: randomBytes(32).toString('hex'), LOG_LEVEL: 'error', NODE_ENV: 'test' });
  return {
    config,
    async destroy() {
      await withAdminClient((client) => dropDatabase(client, id));
      await deleteRedisKeys(config.REDIS_PREFIX);
    },
  };
}

/** Prints a table and writes `bench/results/<name>.json` with the rows and the machine it ran on. */
export function report(name: string, rows: Record<string, string | number>[], notes: Record<string, unknown> = {}): void {
  console.table(rows);
  const dir = path.resolve(__dirname, '../../../bench/results');
  mkdirSync(dir, { recursive: true });
  const os = require('node:os') as typeof import('node:os');
  const result = { name, at: new Date().toISOString(), node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, rows, ...notes };
  writeFileSync(path.join(dir, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
  console.log(`wrote bench/results/${name}.json`);
}
