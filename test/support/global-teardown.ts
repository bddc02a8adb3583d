import { deleteRedisKeys, dropDatabase, redisPrefixOfRun, runId, withAdminClient } from './test-run';

/** Drops every database this run created and deletes its Redis keys. */
export default async function globalTeardown(): Promise<void> {
  const run = runId();
  await withAdminClient(async (client) => {
    const { rows } = await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`chanxiao\\_test\\_${run}\\_%`]);
    for (const { datname } of rows) await dropDatabase(client, datname);
  });
  await deleteRedisKeys(redisPrefixOfRun(run));
}
