import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { QueueName } from '@chanxiao/core';
import { previousMonth } from '@chanxiao/reporting';
import { type RunningApp, startApp } from '../support/apps';
import { createTestEnv, type TestEnv } from '../support/test-env';

const FORMATS = 3;

describe('the monthly report job', () => {
  let env: TestEnv;
  const matchers: RunningApp[] = [];
  let db: DataSource;

  beforeAll(async () => {
    env = await createTestEnv();
    // Two matchers on one database and one Redis; the schedule fires every two seconds instead of on the 1st.
    const config = env.configWith({ MONTHLY_REPORT_CRON: '*/2 * * * * *', DB_POOL_SIZE: '6' });
    matchers.push(await startApp('matcher', env, config), await startApp('matcher', env, config));
    db = matchers[0].app.get(DataSource);
  }, 60_000);

  afterAll(async () => {
    for (const m of matchers) await m.close();
    await env?.destroy();
  });

  const generations = async () =>
    db.query(`SELECT region_code, month, format, count(*)::int AS n FROM monthly_report_generations WHERE source = 'scheduled' GROUP BY 1, 2, 3`) as Promise<{ region_code: string; month: string; format: string; n: number }[]>;

  it('generates every province’s report for the month before, exactly once, with two workers and repeated firings', async () => {
    const [{ n: provinces }] = await db.query(`SELECT count(*)::int AS n FROM regions WHERE level = 1`);
    // Besides the schedule, the same job queued twice at once on both matchers' queue.
    const queue = matchers[1].app.get<Queue>(getQueueToken(QueueName.Reports));
    const month = previousMonth();
    await Promise.all([queue.add('monthly-reports', { month }), queue.add('monthly-reports', { month })]);
    const deadline = Date.now() + 60_000;
    while ((await generations()).length < provinces * FORMATS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    // Let the schedule fire a few more times: nothing more may be generated.
    await new Promise((r) => setTimeout(r, 5000));
    const done = await generations();
    expect(done).toHaveLength(provinces * FORMATS);
    expect(done.every((g) => g.n === 1 && g.month === month)).toBe(true);
    const [{ stored }] = await db.query(`SELECT count(*)::int AS stored FROM monthly_reports WHERE month = $1 AND source = 'scheduled'`, [month]);
    expect(stored).toBe(provinces * FORMATS);
    // The job scheduler itself is one, however many matchers upserted it.
    expect(await queue.getJobSchedulers()).toHaveLength(1);
    const yunnan = await db.query(`SELECT format, byte_size::int AS size FROM monthly_reports WHERE region_code = '530000' AND month = $1 ORDER BY format`, [month]);
    expect(yunnan.map((r: { format: string }) => r.format)).toEqual(['csv', 'json', 'xlsx']);
    expect(yunnan.every((r: { size: number }) => r.size > 0)).toBe(true);
  }, 90_000);
});
