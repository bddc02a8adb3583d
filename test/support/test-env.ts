import { randomBytes } from 'node:crypto';
import { type AppConfig, loadConfig } from '@chanxiao/core';
import { REDIS_URL, databaseUrl, deleteRedisKeys, dropDatabase, redisPrefixOfRun, runId, templateDatabase, withAdminClient } from './test-run';

/** A test file's own database (cloned from the migrated template) and Redis key prefix. */
export interface TestEnv {
  config: AppConfig;
  databaseUrl: string;
  redisPrefix: string;
  /** The environment variables behind `config`: what a child process (a real app, the CLI) is started with. */
  vars: Record<string, string>;
  /** Builds a config for this env with some variables changed. */
  configWith(overrides: Record<string, string>): AppConfig;
  destroy(): Promise<void>;
}

/**
 * Creates the test file's database and Redis prefix. Call in `beforeAll`, and `destroy()` in `afterAll`:
 * `const env = await createTestEnv();`
 */
export async function createTestEnv(): Promise<TestEnv> {
  const suffix = randomBytes(4).toString('hex');
  const name = `chanxiao_test_${runId()}_${suffix}`;
  // CREATE DATABASE … TEMPLATE fails while another session is connected to the template; retry briefly.
  await withAdminClient(async (client) => {
    for (let attempt = 0; ; attempt++) {
      try {
        await client.query(`CREATE DATABASE "${name}" TEMPLATE "${templateDatabase()}"`);
        return;
      } catch (error) {
        if (attempt >= 20 || !/being accessed by other users/.test((error as Error).message)) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 200));
      }
    }
  });
  const url = databaseUrl(name);
  const redisPrefix = `${redisPrefixOfRun()}:${suffix}`;
  const env = {
    NODE_ENV: 'test',
    DATABASE_URL: url,
    REDIS_URL,
    REDIS_PREFIX: redisPrefix,
    JWT_SECRET: randomBytes(32).toString('hex'),
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DB_POOL_SIZE: '5',
  };
  const configWith = (overrides: Record<string, string>) => loadConfig({ ...env, ...overrides });
  return {
    config: configWith({}),
    vars: env,
    databaseUrl: url,
    redisPrefix,
    configWith,
    async destroy() {
      await withAdminClient((client) => dropDatabase(client, name));
      await deleteRedisKeys(redisPrefix);
    },
  };
}
