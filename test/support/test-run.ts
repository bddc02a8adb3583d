import { Client } from 'pg';

/** The PostgreSQL server the tests use; override with TEST_DATABASE_URL (any database on the server). */
export const SERVER_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Names everything this test run creates, so parallel runs on a shared server never touch each other. */
export function runId(): string {
  const id = process.env.CHANXIAO_TEST_RUN;
  if (!id) throw new Error('CHANXIAO_TEST_RUN is not set: run the tests through jest (global setup sets it)');
  return id;
}

export const templateDatabase = (run = runId()) => `chanxiao_test_${run}_template`;
export const redisPrefixOfRun = (run = runId()) => `chanxiao-test:${run}`;

export function databaseUrl(name: string): string {
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function withAdminClient<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: SERVER_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function dropDatabase(client: Client, name: string): Promise<void> {
  await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}

/** Deletes every Redis key under `prefix:` (SCAN, not KEYS, so a shared Redis is not blocked). */
export async function deleteRedisKeys(prefix: string): Promise<void> {
  const { default: IORedis } = await import('ioredis');
  const redis = new IORedis(REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
