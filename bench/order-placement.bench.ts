/**
 * Order placement on hot lots: 200 concurrent buyers placing orders over HTTP through the buyer app, on 1 and on
 * 10 hot lots, next to the raw rate of the same conditional UPDATE straight on PostgreSQL in the same run.
 * Reports orders/s, the ratio to the raw rate, 201/409 counts and oversell (must be 0).
 * Run: npm run bench -- order-placement
 */
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { createHttpApp } from '@chanxiao/core';
import { BuyerAppModule } from '../apps/buyer/src/buyer-app.module';
import { SellerAppModule } from '../apps/seller/src/seller-app.module';
import { HttpClient } from '../test/support/apps';
import { makeBuyer, makeCooperative, makeListing } from '../test/support/factories';
import { AppProcess, freePort } from '../test/support/processes';
import { createBenchEnv, report } from './support/bench-env';
import { percentile } from './support/http-load';
import { runConcurrent } from './support/load';

const CONCURRENCY = 200;
const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
const REQUESTS = 4000;
const PORTIONS = 3000; // stock for 3,000 orders of 10 kg: the last 1,000 requests must be refused
const POOL = 20;

async function main(): Promise<void> {
  const env = await createBenchEnv('orders');
  const config = { ...env.config, DB_POOL_SIZE: POOL } as typeof env.config;
  const boot = async (module: object, name: string) => {
    const app = await createHttpApp(module, { name, description: 'bench', config, docs: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    return { app, http: new HttpClient(`http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`) };
  };
  const seller = await boot(SellerAppModule.forRoot(config), 'seller');
  // The buyer app runs as it does in production, a process of its own (from the build), so the load generator in
  // this process does not share its event loop; BENCH_IN_PROCESS=1 runs it here instead, as earlier figures did.
  let buyerProcess: AppProcess | undefined;
  let buyer: { http: HttpClient; close(): Promise<void> };
  if (process.env.BENCH_IN_PROCESS) {
    const inProcess = await boot(BuyerAppModule.forRoot(config), 'buyer');
    buyer = { http: inProcess.http, close: () => inProcess.app.close() };
  } else {
    const port = await freePort();
    buyerProcess = new AppProcess('buyer', {
      DATABASE_URL: config.DATABASE_URL, REDIS_URL: config.REDIS_URL, REDIS_PREFIX: config.REDIS_PREFIX, JWT_SECRET: config.JWT_SECRET,
      NODE_ENV: 'test', LOG_LEVEL: 'error', DB_POOL_SIZE: String(POOL), BUYER_PORT: String(port),
    }, process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []);
    const http = new HttpClient(`http://127.0.0.1:${port}`);
    for (let i = 0; (await http.get('/health').catch(() => ({ status: 0 }))).status !== 200; i++) {
      if (i > 100) throw new Error(`the buyer app did not start: ${buyerProcess.output}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    buyer = { http, close: () => buyerProcess!.stop() };
  }
  const pool = new Pool({ connectionString: config.DATABASE_URL, max: POOL });
  const rows: Record<string, string | number>[] = [];
  try {
    const coop = await makeCooperative(seller.http, { organization: { regionCode: '532627' } });
    const { accessToken } = await makeBuyer(buyer.http);
    const lot = (quantityKg: number) => makeListing(seller.http, coop.accessToken, { quantityKg, minOrderKg: 10, unitPriceFen: 980 });

    // The raw rate: the same reservation as the API's, one transaction each, same concurrency and pool size.
    const raw = await lot(10 * REQUESTS);
    const rawRun = await runConcurrent(REQUESTS, CONCURRENCY, async () => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const r = await client.query(`UPDATE listings SET available_grams = available_grams - 10000, reserved_grams = reserved_grams + 10000 WHERE id = $1 AND status = 'active' AND available_grams >= 10000 RETURNING id`, [raw.id]);
        await client.query('COMMIT');
        return r.rowCount;
      } finally {
        client.release();
      }
    });
    const rawRate = REQUESTS / rawRun.seconds;
    rows.push({ scenario: 'raw conditional UPDATE (1 lot)', requests: REQUESTS, ok: rawRun.results.filter((n) => n === 1).length, refused: 0, perSecond: Math.round(rawRate), p50ms: percentile(sorted(rawRun.latencies), 50).toFixed(1), p95ms: percentile(sorted(rawRun.latencies), 95).toFixed(1), ratio: '1.00', oversellGrams: 0 });

    for (const hot of [1, 10]) {
      const lots = await Promise.all(Array.from({ length: hot }, () => lot((10 * PORTIONS) / hot)));
      const run = await runConcurrent(REQUESTS, CONCURRENCY, async (i) => {
        const response = await buyer.http.request('POST', '/api/v1/orders', {
          body: { lines: [{ listingId: lots[i % hot].id, quantityKg: 10 }], paymentMethod: 'bank_transfer' },
          token: accessToken,
          headers: { 'idempotency-key': randomUUID() },
        });
        return response.status;
      });
      const ok = run.results.filter((s) => s === 201).length;
      const refused = run.results.filter((s) => s === 409).length;
      const other = run.results.length - ok - refused;
      if (other) throw new Error(`${other} responses were neither 201 nor 409`);
      const { rows: [check] } = await pool.query(
        `SELECT sum(l.total_grams - l.available_grams - l.reserved_grams - l.sold_grams)::bigint AS drift,
                sum(l.reserved_grams)::bigint AS reserved,
                (SELECT coalesce(sum(quantity_grams), 0) FROM order_lines WHERE listing_id = ANY($1))::bigint AS ordered,
                sum(l.total_grams)::bigint AS total
           FROM listings l WHERE l.id = ANY($1)`,
        [lots.map((l) => l.id)],
      );
      const oversell = Math.max(0, Number(check.ordered) - Number(check.total)) + Math.abs(Number(check.drift)) + Math.abs(Number(check.ordered) - Number(check.reserved));
      const perSecond = REQUESTS / run.seconds;
      rows.push({ scenario: `HTTP orders, ${hot} hot lot${hot > 1 ? 's' : ''}`, requests: REQUESTS, ok, refused, perSecond: Math.round(perSecond), p50ms: percentile(sorted(run.latencies), 50).toFixed(1), p95ms: percentile(sorted(run.latencies), 95).toFixed(1), ratio: (perSecond / rawRate).toFixed(2), oversellGrams: oversell });
    }
  } finally {
    await pool.end();
    await buyer.close();
    await seller.app.close();
    await env.destroy();
  }
  report('order-placement', rows, { concurrency: CONCURRENCY, poolSize: POOL, buyerApp: process.env.BENCH_IN_PROCESS ? 'in the bench process' : 'own process', note: `stock for ${PORTIONS} orders of 10 kg, ${REQUESTS} requests; ratio = HTTP requests/s ÷ raw UPDATE transactions/s` });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
