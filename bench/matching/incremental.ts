/**
 * Incremental matching latency: lots published over HTTP at a steady 100 per second against thousands of live
 * demands, with the matcher running as its own process (outbox relay → events queue → matching → proposals).
 * Reports, per lot, the time from its publish to its first stored proposal: p50/p95/p99/max, next to the achieved
 * publish rate and how many lots got a proposal. Target: p95 ≤ 300 ms.
 * Run: npm run bench -- matching --part=incremental [--rate=100] [--seconds=30] [--demands=5000]
 */
import { Queue } from 'bullmq';
import { bullPrefix, createHttpApp, QueueName } from '@chanxiao/core';
import { DataSource } from 'typeorm';
import { SellerAppModule } from '../../apps/seller/src/seller-app.module';
import { HttpClient } from '../../test/support/apps';
import { listingInput, makeCooperative } from '../../test/support/factories';
import { matcherBacklog } from '../../test/support/matching';
import { AppProcess, freePort } from '../../test/support/processes';
import { createBenchEnv, report } from '../support/bench-env';
import { percentile } from '../support/http-load';

export interface IncrementalOptions {
  rate: number;
  seconds: number;
  demands: number;
}
// Produce with shelf lives that allow cross-country trips, and their prices in fen per kg.
const PRODUCE: [string, string, number][] = [
  ['fruit.apple', '秦安花牛苹果', 520], ['fruit.kiwi', '红心猕猴桃', 760], ['fruit.navel_orange', '赣南脐橙', 480], ['fruit.pear', '砀山酥梨', 300],
  ['veg.potato', '定西马铃薯', 140], ['veg.garlic', '金乡大蒜', 620], ['veg.onion', '洋葱', 160], ['grain.rice', '八宝贡米', 980],
];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const WARMUP_SECONDS = 5;

export async function runIncrementalBench({ rate: RATE, seconds: SECONDS, demands: DEMANDS }: IncrementalOptions): Promise<void> {
  const env = await createBenchEnv('matching');
  const vars = { DATABASE_URL: env.config.DATABASE_URL, REDIS_URL: env.config.REDIS_URL, REDIS_PREFIX: env.config.REDIS_PREFIX, JWT_SECRET: env.config.JWT_SECRET, NODE_ENV: 'test', LOG_LEVEL: 'error' };
  // The publishing side gets a pool for 100 requests/s; the matcher keeps the default it runs with.
  const sellerConfig = { ...env.config, DB_POOL_SIZE: 20 } as typeof env.config;
  const app = await createHttpApp(SellerAppModule.forRoot(sellerConfig), { name: 'seller', description: 'bench', config: sellerConfig, docs: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const seller = new HttpClient(`http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`);
  const db = app.get(DataSource);
  let matcher: AppProcess | undefined;
  try {
    // Demands: bought by 200 buyer organisations in real prefecture-level cities, written straight to the table
    // (no events), wanting 20-60 t each at a ceiling above the price, within 30 days.
    await db.query(`
      INSERT INTO organizations (name, credit_code, region_code, kind, buyer_type, contact_phone)
      SELECT '采购商 ' || g, '91' || lpad(g::text, 16, '0'), (SELECT code FROM regions WHERE level = 2 ORDER BY md5(code || g) LIMIT 1), 'buyer', 'wholesale_market', '1390000' || lpad(g::text, 4, '0')
        FROM generate_series(1, 200) g`);
    await db.query(
      `INSERT INTO demands (organization_id, status, category_code, quantity_grams, max_unit_price_fen, destination_region_code, deliver_by, cold_chain_capable, prefer_poverty)
       SELECT o.id, 'open', p.code, (20 + (g % 41)) * 1000000, p.price * 2, o.region_code, current_date + 30, true, g % 3 = 0
         FROM generate_series(1, $1::int) g
         JOIN LATERAL (SELECT id, region_code FROM organizations WHERE kind = 'buyer' ORDER BY md5(id::text || g) LIMIT 1) o ON true
         JOIN LATERAL (SELECT * FROM jsonb_to_recordset($2::jsonb) AS x(code text, price int) OFFSET (g % $3::int) LIMIT 1) p ON true`,
      [DEMANDS, JSON.stringify(PRODUCE.map(([code, , price]) => ({ code, price }))), PRODUCE.length],
    );
    // Cooperatives in 40 poverty counties, and the lots as drafts, to be published at the measured rate.
    const counties: { code: string }[] = await db.query(`SELECT code FROM regions WHERE is_poverty_county ORDER BY md5(code) LIMIT 40`);
    const coops = [];
    for (const { code } of counties) coops.push((await makeCooperative(seller, { organization: { regionCode: code } })).accessToken);
    // The first WARMUP_SECONDS of publishes warm the matcher (JIT, each pooled connection's query plans, BullMQ's
    // fetch loop) and are reported on their own; the measured figures are the SECONDS after them.
    const total = RATE * (SECONDS + WARMUP_SECONDS);
    const warmup = RATE * WARMUP_SECONDS;
    const drafts: { id: string; token: string }[] = [];
    for (let i = 0; i < total; i++) {
      const [code, title, price] = PRODUCE[i % PRODUCE.length];
      const token = coops[i % coops.length];
      const created = await seller.post('/api/v1/listings', listingInput({ categoryCode: code, title, quantityKg: 5000, minOrderKg: 500, unitPriceFen: price }), token);
      if (created.status !== 201) throw new Error(`draft: ${created.status} ${created.text}`);
      drafts.push({ id: created.body.id, token });
    }
    // BENCH_PROFILE=dir writes a CPU profile of the matcher there (node --cpu-prof) when it stops.
    const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
    matcher = new AppProcess('matcher', { ...vars, MATCHER_PORT: String(await freePort()), OUTBOX_POLL_INTERVAL_MS: process.env.BENCH_POLL_MS ?? '1000' }, profile);
    // Let it start and drain what is there before the clock starts.
    for (;;) {
      if ((await matcherBacklog(db)) === 0) break;
      await sleep(250);
    }

    const started = Date.now();
    const publishes: Promise<number>[] = [];
    for (let i = 0; i < total; i++) {
      const due = started + (i * 1000) / RATE;
      if (due > Date.now()) await sleep(due - Date.now());
      publishes.push(seller.post(`/api/v1/listings/${drafts[i].id}/publish`, undefined, drafts[i].token).then((r) => r.status));
    }
    const statuses = await Promise.all(publishes);
    const publishSeconds = (Date.now() - started) / 1000;
    // A 503 (the seller's pool busy under this load) is a publish that did not happen: counted, not matched.
    const publishRefused = statuses.filter((s) => s === 503).length;
    if (statuses.some((s) => s !== 200 && s !== 503)) throw new Error(`publish answered ${statuses.filter((s) => s !== 200 && s !== 503).length} errors other than 503`);
    const deadline = Date.now() + 120_000;
    const publishedAt = Date.now();
    for (;;) {
      if ((await matcherBacklog(db)) === 0 || Date.now() > deadline) break;
      await sleep(250);
    }
    // What the matcher sustained: every publish matched within the publish window plus the time to drain the rest.
    const matchedPerSecond = Math.round(total / (publishSeconds + (Date.now() - publishedAt) / 1000));
    const latencyOf = async (ids: string[]) =>
      (
        (await db.query(
          `SELECT extract(epoch FROM min(p.created_at) - l.published_at) * 1000 AS ms
             FROM listings l JOIN proposals p ON p.listing_id = l.id
            WHERE l.id = ANY($1::uuid[]) GROUP BY l.id, l.published_at`,
          [ids],
        )) as { ms: number }[]
      ).map((r) => Number(r.ms)).sort((a, b) => a - b);
    const measured = drafts.slice(warmup).map((d) => d.id);
    const latencies = await latencyOf(measured);
    const warm = await latencyOf(drafts.slice(0, warmup).map((d) => d.id));
    // p95 per 5-second window of publish time: shows a warm-up or a stall rather than hiding it in one figure.
    const windows: { w: number; p95: number; n: number }[] = await db.query(
      `SELECT floor(extract(epoch FROM l.published_at - $2::timestamptz) / 5)::int AS w,
              percentile_cont(0.95) WITHIN GROUP (ORDER BY x.ms)::int AS p95, count(*)::int AS n
         FROM listings l JOIN LATERAL (SELECT extract(epoch FROM min(p.created_at) - l.published_at) * 1000 AS ms FROM proposals p WHERE p.listing_id = l.id) x ON x.ms IS NOT NULL
        WHERE l.id = ANY($1::uuid[]) GROUP BY 1 ORDER BY 1`,
      [drafts.map((d) => d.id), new Date(started).toISOString()],
    );
    console.log(`p95 by 5 s window of publish time: ${windows.map((w) => `${w.w * 5}s:${w.p95}ms`).join(' ')}`);
    // Where the time goes: publish → outbox row relayed to Redis (the relay), and relayed → first proposal stored.
    const stages: { relay: number; match: number }[] = await db.query(
      `SELECT extract(epoch FROM o.published_at - o.created_at) * 1000 AS relay, extract(epoch FROM min(p.created_at) - o.published_at) * 1000 AS match
         FROM outbox_events o JOIN proposals p ON p.listing_id::text = o.aggregate_id
        WHERE o.type = 'listing.published' AND o.aggregate_id = ANY($1) GROUP BY o.id`,
      [measured],
    );
    const relay = stages.map((r) => Number(r.relay)).sort((a, b) => a - b);
    const match = stages.map((r) => Number(r.match)).sort((a, b) => a - b);
    if (latencies.length === 0) console.log(`no lot got a proposal; the matcher said: ${matcher.output || '(nothing)'}; running: ${matcher.running}`);
    const [{ proposals }] = await db.query(`SELECT count(*)::int AS proposals FROM proposals`);
    const events = new Queue(QueueName.Events, { connection: { url: env.config.REDIS_URL }, prefix: bullPrefix(env.config) });
    const failed = await events.getJobs(['failed'], 0, 20);
    const failedJobs = (await events.getJobCounts('failed')).failed;
    if (failedJobs) console.log('failed matching jobs:', failedJobs, failed.map((job) => `${job.name}: ${job.failedReason}`));
    await events.close();
    report('matching-incremental', [
      {
        scenario: `publish ${RATE}/s for ${SECONDS} s after ${WARMUP_SECONDS} s warm-up, ${DEMANDS} live demands`,
        published: total - publishRefused,
        warmupP95ms: Math.round(percentile(warm, 95)),
        publishRefused,
        publishPerSecond: Math.round(total / publishSeconds),
        matchedPerSecond,
        lotsWithProposal: latencies.length + warm.length,
        proposals,
        p50ms: Math.round(percentile(latencies, 50)),
        p95ms: Math.round(percentile(latencies, 95)),
        p99ms: Math.round(percentile(latencies, 99)),
        maxms: Math.round(latencies[latencies.length - 1] ?? 0),
        targetP95ms: 300,
        relayP50ms: Math.round(percentile(relay, 50)),
        relayP95ms: Math.round(percentile(relay, 95)),
        matchP50ms: Math.round(percentile(match, 50)),
        matchP95ms: Math.round(percentile(match, 95)),
        failedJobs,
      },
    ], { rate: RATE, seconds: SECONDS, demands: DEMANDS, p95ByWindow: windows, note: 'publish → first stored proposal, matcher in its own process, relay woken by NOTIFY' });
  } finally {
    await matcher?.stop();
    await app.close();
    await env.destroy();
  }
}
