/**
 * Monthly report generation at scale: one province-month with 1,000,000 sold order lines (250k orders of four
 * lines, 2,000 lots in 50 Yunnan counties, 200 buyers of every type), bulk-generated with generate_series in a
 * bench database. Reports the time to generate and store the XLSX and the CSV (the whole path of
 * `GET /reports/monthly?refresh=true` before the first byte is sent) and the process's peak RSS while doing it.
 * Targets (issue 7): ≤ 10 s and ≤ 300 MB. Run: npm run bench -- report
 * Each format runs in a child process of its own, so its peak RSS is its own. BENCH_REPORT_LINES changes the
 * size, BENCH_REPORT_FORMATS the formats (xlsx,csv,json), BENCH_REPORT_DB keeps a seeded database between runs.
 */
import { NestFactory } from '@nestjs/core';
import { type DynamicModule, Module } from '@nestjs/common';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { type AppConfig, CoreModule, loadConfig } from '@chanxiao/core';
import { MIGRATIONS } from '@chanxiao/migrations';
import { MonthlyReportService, RegionScopeService, ReportingModule, type ReportFormat } from '@chanxiao/reporting';
import { REDIS_URL, databaseUrl, withAdminClient } from '../test/support/test-run';
import { createBenchEnv, report } from './support/bench-env';

const LINES = Number(process.env.BENCH_REPORT_LINES ?? 1_000_000);
const LINES_PER_ORDER = 4;
const MONTH = '2020-03';

@Module({})
class BenchModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: BenchModule, imports: [CoreModule.forRoot({ app: 'cli', config }), ReportingModule] };
  }
}

async function seed(db: DataSource): Promise<void> {
  const orders = LINES / LINES_PER_ORDER;
  await db.query(`CREATE TEMP TABLE bench_counties AS SELECT code, lat, lon, is_poverty_county, is_supervised_county, row_number() OVER (ORDER BY code) - 1 AS n FROM regions WHERE level = 3 AND province_code = '530000' ORDER BY code LIMIT 50`);
  await db.query(`CREATE TEMP TABLE bench_categories AS SELECT code, row_number() OVER (ORDER BY code) - 1 AS n FROM categories WHERE parent_code IS NOT NULL`);
  await db.query(`
    INSERT INTO organizations (id, kind, name, credit_code, region_code, contact_phone, poverty_households)
    SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, 'seller', '基准合作社' || i, '93' || lpad(i::text, 16, '0'), c.code, '13900000000', 10
    FROM generate_series(0, 49) i JOIN bench_counties c ON c.n = i`);
  await db.query(`
    INSERT INTO organizations (id, kind, name, credit_code, region_code, contact_phone, buyer_type)
    SELECT ('00000000-0000-4000-9000-' || lpad(to_hex(i), 12, '0'))::uuid, 'buyer', '基准采购方' || i, '91' || lpad(i::text, 16, '0'), '440307', '13900000001',
           (ARRAY['wholesale_market', 'ecommerce', 'public_welfare_market', 'logistics', 'consumption_assistance', 'retailer'])[1 + i % 6]
    FROM generate_series(0, 199) i`);
  // 2,000 lots, 40 per seller, in the seller's county; sold grams add up to what the order lines below sell.
  await db.query(`
    INSERT INTO listings (id, organization_id, status, category_code, title, total_grams, available_grams, reserved_grams, sold_grams, min_order_grams, unit_price_fen,
                          harvested_on, best_before, cold_chain, stalled, region_code, is_poverty_county, is_supervised_county, lat, lon, created_at, published_at)
    SELECT ('00000000-0000-4000-a000-' || lpad(to_hex(i), 12, '0'))::uuid, ('00000000-0000-4000-8000-' || lpad(to_hex(i / 40), 12, '0'))::uuid, 'active',
           cat.code, '基准批次' || i, 1000000000, 1000000000, 0, 0, 1000, 500 + i % 1000, '2020-02-20', '2021-02-20', false, i % 3 = 0,
           c.code, c.is_poverty_county, c.is_supervised_county, c.lat, c.lon, '2020-02-25', '2020-03-01T08:00:00+08:00'
    FROM generate_series(0, 1999) i JOIN bench_counties c ON c.n = i / 40 JOIN bench_categories cat ON cat.n = i % (SELECT count(*) FROM bench_categories)`);
  await db.query(`
    INSERT INTO order_groups (id, buyer_organization_id, idempotency_key, payment_method, total_fen, created_at)
    SELECT ('00000000-0000-4000-b000-' || lpad(to_hex(i), 12, '0'))::uuid, ('00000000-0000-4000-9000-' || lpad(to_hex(i % 200), 12, '0'))::uuid, 'bench-' || i, 'bank_transfer', 1, '2020-03-01'
    FROM generate_series(0, ${orders - 1}) i`);
  // Paid across March 2020 (China time), a mix of later statuses.
  await db.query(`
    INSERT INTO orders (id, number, order_group_id, buyer_organization_id, seller_organization_id, status, payment_method, total_fen, pay_by, paid_at, created_at, updated_at)
    SELECT ('00000000-0000-4000-b000-' || lpad(to_hex(i), 12, '0'))::uuid, chanxiao_order_number('2020-03-01'), ('00000000-0000-4000-b000-' || lpad(to_hex(i), 12, '0'))::uuid,
           ('00000000-0000-4000-9000-' || lpad(to_hex(i % 200), 12, '0'))::uuid, ('00000000-0000-4000-8000-' || lpad(to_hex(i % 50), 12, '0'))::uuid,
           (ARRAY['paid', 'shipped', 'delivered', 'completed'])[1 + i % 4], 'bank_transfer', 1, '2020-04-30',
           timestamptz '2020-03-01T00:00:00+08:00' + (i::float8 / ${orders}) * interval '31 days', '2020-03-01', '2020-03-01'
    FROM generate_series(0, ${orders - 1}) i`);
  await db.query(`
    INSERT INTO order_lines (order_id, line_no, listing_id, title, category_code, quantity_grams, unit_price_fen, amount_fen)
    SELECT o.id, k, l.id, l.title, l.category_code, 1000 + (i * 7 + k) % 50000, l.unit_price_fen, ((1000 + (i * 7 + k) % 50000)::bigint * l.unit_price_fen + 500) / 1000
    FROM generate_series(0, ${orders - 1}) i
    CROSS JOIN generate_series(1, ${LINES_PER_ORDER}) k
    JOIN orders o ON o.id = ('00000000-0000-4000-b000-' || lpad(to_hex(i), 12, '0'))::uuid
    JOIN listings l ON l.id = ('00000000-0000-4000-a000-' || lpad(to_hex((i % 50) * 40 + (i / 50 + k) % 40), 12, '0'))::uuid`);
  await db.query(`UPDATE orders o SET total_fen = s.fen FROM (SELECT order_id, sum(amount_fen) AS fen FROM order_lines GROUP BY 1) s WHERE s.order_id = o.id`);
  await db.query(`UPDATE listings l SET sold_grams = s.grams, available_grams = l.total_grams - s.grams FROM (SELECT listing_id, sum(quantity_grams) AS grams FROM order_lines GROUP BY 1) s WHERE s.listing_id = l.id`);
  await db.query('ANALYZE');
}

/** Runs `work`, sampling the RSS every 20 ms; returns seconds and the peak RSS in MB. */
async function measure<T>(work: () => Promise<T>): Promise<{ value: T; seconds: number; peakRssMb: number }> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
  const started = process.hrtime.bigint();
  try {
    const value = await work();
    return { value, seconds: Number(process.hrtime.bigint() - started) / 1e9, peakRssMb: Math.round(Math.max(peak, process.memoryUsage.rss()) / 1048576) };
  } finally {
    clearInterval(timer);
  }
}

interface ChildResult { format: ReportFormat; orderLines: number; bytes: number; seconds: number; peakRssMb: number; maxRssMb: number; baselineRssMb: number }

/**
 * One format in a fresh process (`node report.bench.js --child <format>`, the database in the environment), so
 * each peak belongs to that run alone: `peakRssMb` sampled every 20 ms, `maxRssMb` the kernel's high-water
 * mark of the whole process (Nest context included), `baselineRssMb` the process before generating.
 */
async function child(format: ReportFormat): Promise<void> {
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'error', NODE_ENV: 'test' });
  const app = await NestFactory.createApplicationContext(BenchModule.forRoot(config), { logger: ['error', 'warn'] });
  try {
    const reports = app.get(MonthlyReportService);
    const scope = app.get(RegionScopeService).of('530000');
    const baseline = Math.round(process.memoryUsage.rss() / 1048576);
    const run = await measure(() => reports.generate(scope, MONTH, format, 'request'));
    const result: ChildResult = {
      format, orderLines: run.value!.lineCount, bytes: run.value!.byteSize, seconds: Number(run.seconds.toFixed(2)), peakRssMb: run.peakRssMb,
      maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024), baselineRssMb: baseline,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await app.close();
  }
}

function runChild(format: ReportFormat, config: AppConfig): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, DATABASE_URL: config.DATABASE_URL, REDIS_URL: config.REDIS_URL, REDIS_PREFIX: config.REDIS_PREFIX, JWT_SECRET: config.JWT_SECRET };
    const proc = spawn(process.execPath, [__filename, '--child', format], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    proc.on('error', reject);
    proc.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1)!)) : reject(new Error(`${format} run exited with ${code}: ${out}`))));
  });
}

/**
 * The bench database: a fresh one dropped at the end, or with BENCH_REPORT_DB=<name> one kept between runs
 * (created and seeded the first time), which saves the ≈ 30 s seeding while working on the report.
 */
async function benchEnv(): Promise<{ config: AppConfig; destroy(): Promise<void> }> {
  const name = process.env.BENCH_REPORT_DB;
  if (!name) return createBenchEnv('report');
  if (!/^chanxiao_bench_[a-z0-9_]+$/.test(name)) throw new Error('BENCH_REPORT_DB must look like chanxiao_bench_<name>');
  const exists = await withAdminClient(async (c) => (await c.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name])).rowCount! > 0);
  if (!exists) await withAdminClient((c) => c.query(`CREATE DATABASE "${name}"`));
  const url = databaseUrl(name);
  const dataSource = await new DataSource({ type: 'postgres', url, migrations: MIGRATIONS }).initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  await dataSource.destroy();
  const config = loadConfig({ DATABASE_URL: url, REDIS_URL, REDIS_PREFIX: `chanxiao-bench:${name}`, JWT_SECRET: randomBytes(32).toString('hex'), LOG_LEVEL: 'error', NODE_ENV: 'test' });
  return { config, destroy: async () => undefined };
}

async function main(): Promise<void> {
  const env = await benchEnv();
  const rows: Record<string, string | number>[] = [];
  try {
    const db = await new DataSource({ type: 'postgres', url: env.config.DATABASE_URL }).initialize();
    try {
      const [{ n: before }] = await db.query(`SELECT count(*)::int AS n FROM order_lines`);
      if (before === 0) {
        const seeded = await measure(() => seed(db));
        console.log(`seeded ${LINES} order lines in ${seeded.seconds.toFixed(1)} s`);
      } else {
        console.log(`reusing ${process.env.BENCH_REPORT_DB} with ${before} order lines`);
      }
    } finally {
      await db.destroy();
    }
    const formats = (process.env.BENCH_REPORT_FORMATS ?? 'xlsx,csv,json').split(',') as ReportFormat[];
    for (const format of formats) rows.push({ ...(await runChild(format, env.config)) });
  } finally {
    await env.destroy();
  }
  report('report', rows, {
    note: `one province-month (云南省 ${MONTH}) with ${LINES} sold order lines in ${LINES / LINES_PER_ORDER} orders; generate = query + stream into the stored report's 1 MiB chunks as it is written; each format in its own process: peakRssMb sampled every 20 ms while generating, maxRssMb the process's high-water mark (getrusage), baselineRssMb the Nest context before generating`,
    targets: { seconds: 10, peakRssMb: 300 },
  });
}

const childAt = process.argv.indexOf('--child');
(childAt > 0 ? child(process.argv[childAt + 1] as ReportFormat) : main()).catch((error) => {
  console.error(error);
  process.exit(1);
});
