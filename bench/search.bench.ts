/**
 * Buyer search at 100k active lots (SPEC §6: p95 ≤ 50 ms with 50 concurrent clients). Seeds 100,000 active lots
 * (and 20,000 in other states) over the 831 current poverty counties and the real leaf categories in one
 * INSERT … SELECT, boots the buyer app in this process, and drives it with 50 keep-alive clients for 10 s with a
 * mix of filters, the four sorts and second pages through the cursor. In the same run, a Fastify hello-world
 * driven the same way gives the ceiling of this machine, Node and the load generator.
 * Run: npm run bench -- search     (SEARCH_BENCH_KEEP=1 keeps the database for EXPLAIN)
 */
import { plainToInstance } from 'class-transformer';
import Fastify from 'fastify';
import { Pool } from 'pg';
import { chinaDate, createHttpApp, type Principal } from '@chanxiao/core';
import { fillSearchVectors, ListingSearchQuery, ListingSearchService } from '@chanxiao/listings';
import { pinyin } from 'pinyin-pro';
import { BuyerAppModule } from '../apps/buyer/src/buyer-app.module';
import { HttpClient } from '../test/support/apps';
import { makeBuyer } from '../test/support/factories';
import { createBenchEnv, report } from './support/bench-env';
import { type LoadRequest, runLoad, summarize } from './support/http-load';

const ACTIVE = 100_000;
const OTHERS = 20_000;
const CLIENTS = 50;
const SECONDS = 10;
const WARMUP_SECONDS = 3;
const BUYER_REGION = '440307'; // 深圳 龙岗区, a wholesale market's county

/**
 * One statement: sellers (one cooperative per poverty county), then lots spread over sellers and leaf categories
 * by hashes of the row number. Prices by group, best-before within twice the category's shelf life, a third
 * stalled, cold chain where the category needs it; every sixth row in a state search must not show.
 */
async function seed(pool: Pool): Promise<void> {
  await pool.query(`
    INSERT INTO organizations (kind, name, credit_code, region_code, contact_phone, poverty_households)
    SELECT 'seller', r.name || '农民专业合作社', '93' || r.code || lpad(r.n::text, 10, '0'), r.code, '138' || lpad(r.n::text, 8, '0'), 40 + r.n % 200
    FROM (SELECT code, name, row_number() OVER (ORDER BY code) AS n FROM regions WHERE is_poverty_county) r`);
  await pool.query(`
    INSERT INTO listings (organization_id, status, category_code, title, total_grams, available_grams, sold_grams, delisted_grams,
      min_order_grams, unit_price_fen, harvested_on, best_before, cold_chain, stalled, region_code, is_poverty_county,
      is_supervised_county, lat, lon, created_at, published_at, closed_at)
    WITH s AS (SELECT array_agg(id ORDER BY region_code) AS ids, array_agg(region_code ORDER BY region_code) AS codes, count(*)::int AS n
               FROM organizations WHERE kind = 'seller'),
         c AS (SELECT array_agg(code ORDER BY code) AS codes, array_agg(name_zh ORDER BY code) AS names,
                      array_agg(typical_shelf_life_days ORDER BY code) AS shelf, array_agg(cold_chain_required ORDER BY code) AS cold,
                      count(*)::int AS n
               FROM categories WHERE parent_code IS NOT NULL),
         x AS (SELECT g, s.ids[1 + (hashint4(g) & 2147483647) % s.n] AS org, s.codes[1 + (hashint4(g) & 2147483647) % s.n] AS county,
                      1 + (hashint4(g + 7777777) & 2147483647) % c.n AS ci, hashint4(g + 1234567) & 2147483647 AS h,
                      CASE WHEN g % 6 = 0 THEN (ARRAY['draft', 'withdrawn', 'sold_out', 'expired'])[1 + g / 6 % 4] ELSE 'active' END AS status,
                      1000000 + (hashint4(g + 99) & 2147483647) % 200 * 250000 AS grams, c.codes, c.names, c.shelf, c.cold
               FROM generate_series(1, $1::int) g, s, c)
    SELECT x.org, x.status, x.codes[x.ci], regexp_replace(r.name, '(自治县|县|市|区|旗)$', '') || x.names[x.ci] || ' ' || x.g || '号批次', t.total, t.available, t.sold, t.delisted, 100000,
      CASE split_part(x.codes[x.ci], '.', 1) WHEN 'tea' THEN 10000 + x.h % 30000 WHEN 'bee' THEN 3000 + x.h % 9000
        WHEN 'herb' THEN 2000 + x.h % 8000 WHEN 'meat' THEN 2000 + x.h % 6000 WHEN 'veg' THEN 50 + x.h % 350 ELSE 300 + x.h % 2500 END,
      $2::date - x.g % 7, $2::date + 1 + x.h % (2 * x.shelf[x.ci]), x.cold[x.ci], x.g % 3 = 0,
      r.code, r.is_poverty_county, r.is_supervised_county, r.lat, r.lon,
      now() - x.g * interval '20 second', CASE WHEN x.status <> 'draft' THEN now() - x.g * interval '20 second' END,
      CASE WHEN x.status NOT IN ('draft', 'active') THEN now() END
    FROM x
    JOIN regions r ON r.code = x.county
    CROSS JOIN LATERAL (SELECT
      CASE WHEN x.status IN ('withdrawn', 'expired') THEN 0 ELSE x.grams END AS total,
      CASE WHEN x.status IN ('draft', 'active') THEN x.grams ELSE 0 END AS available,
      CASE WHEN x.status = 'sold_out' THEN x.grams ELSE 0 END AS sold,
      CASE WHEN x.status IN ('withdrawn', 'expired') THEN x.grams ELSE 0 END AS delisted) t`,
  [ACTIVE + OTHERS, chinaDate()]);
  // Rows inserted by SQL have no keywords yet: cut them as the migration does for lots that predate it.
  await fillSearchVectors(async (sql, parameters) => (await pool.query(sql, parameters)).rows);
  await pool.query('VACUUM ANALYZE listings');
}

/** A deterministic mix of what buyers ask, built from the real categories and regions. */
async function queryMix(pool: Pool): Promise<LoadRequest[]> {
  const leaves = (await pool.query<{ code: string }>(`SELECT code FROM categories WHERE parent_code IS NOT NULL ORDER BY code`)).rows.map((r) => r.code);
  const groups = (await pool.query<{ code: string }>(`SELECT code FROM categories WHERE parent_code IS NULL ORDER BY code`)).rows.map((r) => r.code);
  const counties = (await pool.query<{ code: string }>(`SELECT code FROM regions WHERE is_poverty_county ORDER BY code`)).rows.map((r) => r.code);
  const provinces = [...new Set(counties.map((c) => `${c.slice(0, 2)}0000`))];
  const cities = [...new Set(counties.map((c) => `${c.slice(0, 4)}00`))];
  let state = 20200315;
  const random = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)];
  const kinds: [string, number, () => string][] = [
    ['urgency', 10, () => ''],
    ['urgency, leaf', 10, () => `categoryCode=${pick(leaves)}`],
    ['urgency, group', 8, () => `categoryCode=${pick(groups)}`],
    ['urgency, province', 6, () => `regionCode=${pick(provinces)}`],
    ['urgency, county', 4, () => `regionCode=${pick(counties)}`],
    ['urgency, supervised', 4, () => 'supervisedOnly=true'],
    ['urgency, expiring cold', 4, () => 'expiringWithinDays=7&coldChain=true'],
    ['price, leaf ≤ price', 10, () => `categoryCode=${pick(leaves)}&maxPriceFen=${500 + Math.floor(random() * 3000)}`],
    ['price, group, minKg', 5, () => `categoryCode=${pick(groups)}&minKg=${pick([500, 2000, 10000])}`],
    ['price', 4, () => ''],
    ['distance', 8, () => ''],
    ['distance, leaf', 6, () => `categoryCode=${pick(leaves)}`],
    ['distance, city origin, poverty', 4, () => `nearRegionCode=${pick(cities)}&povertyOnly=true`],
    ['newest', 5, () => ''],
    ['newest, province', 4, () => `regionCode=${pick(provinces)}`],
  ];
  const total = kinds.reduce((sum, [, weight]) => sum + weight, 0);
  return Array.from({ length: 2000 }, () => {
    let r = random() * total;
    const [kind, , params] = kinds.find(([, weight]) => (r -= weight) < 0) ?? kinds[0];
    const sort = kind.split(',')[0];
    const query = [`sort=${sort}`, params()].filter(Boolean).join('&');
    return { kind, path: `/api/v1/listings?${query}`, follow: random() < 0.2 };
  });
}

/**
 * What buyers type into the 搜索 box (issue 14): a produce name, a county and a produce, a province, pinyin
 * initials, one character, with filters and sorts (relevance among them), and second pages.
 */
async function keywordMix(pool: Pool): Promise<LoadRequest[]> {
  const leaves = (await pool.query<{ name: string }>(`SELECT name_zh AS name FROM categories WHERE parent_code IS NOT NULL ORDER BY code`)).rows.map((r) => r.name);
  const counties = (await pool.query<{ name: string }>(`SELECT regexp_replace(name, '(自治县|县|市|区|旗)$', '') AS name FROM regions WHERE is_poverty_county ORDER BY code`)).rows.map((r) => r.name);
  const provinces = ['云南', '甘肃', '贵州', '四川', '湖南', '新疆', '广西', '陕西'];
  let state = 20200401;
  const random = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)];
  const q = (text: string) => `q=${encodeURIComponent(text)}`;
  const initials = (word: string) => pinyin(word, { pattern: 'first', toneType: 'none', type: 'array' }).join('');
  const kinds: [string, number, () => string][] = [
    ['q=produce', 20, () => q(pick(leaves))],
    ['q=produce, relevance', 10, () => `${q(pick(leaves))}&sort=relevance`],
    ['q=county produce', 15, () => `${q(`${pick(counties)} ${pick(leaves)}`)}&sort=relevance`],
    ['q=province, supervised', 8, () => `${q(pick(provinces))}&supervisedOnly=true`],
    ['q=province produce, price', 8, () => `${q(`${pick(provinces)} ${pick(leaves)}`)}&sort=price`],
    ['q=initials', 8, () => q(initials(pick(leaves)))],
    ['q=one character', 6, () => q(pick(['橙', '米', '茶', '枣', '椒', '菇']))],
    ['q=produce, expiring cold', 5, () => `${q(pick(leaves))}&expiringWithinDays=14&coldChain=true`],
  ];
  const total = kinds.reduce((sum, [, weight]) => sum + weight, 0);
  return Array.from({ length: 2000 }, () => {
    let r = random() * total;
    const [kind, , params] = kinds.find(([, weight]) => (r -= weight) < 0) ?? kinds[0];
    return { kind, path: `/api/v1/listings?${params()}`, follow: random() < 0.2 };
  });
}

/**
 * The same mix straight through ListingSearchService (SQL, mapping; no HTTP, auth, validation or JSON), with the
 * same concurrency and duration: what the database and the service can do without the web stack around them.
 */
async function serviceOnly(search: ListingSearchService, principal: Principal, requests: LoadRequest[]): Promise<number[]> {
  const queries = requests.map((r) => ({ ...r, query: plainToInstance(ListingSearchQuery, Object.fromEntries(new URLSearchParams(r.path.split('?')[1]))) }));
  const run = async (seconds: number) => {
    const latencies: number[] = [];
    const deadline = performance.now() + seconds * 1000;
    let next = 0;
    await Promise.all(Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < deadline) {
        const item = queries[next++ % queries.length];
        let t = performance.now();
        const page = await search.search(principal, item.query);
        latencies.push(performance.now() - t);
        if (!item.follow || !page.nextCursor) continue;
        t = performance.now();
        await search.search(principal, { ...item.query, cursor: page.nextCursor });
        latencies.push(performance.now() - t);
      }
    }));
    return latencies;
  };
  await run(WARMUP_SECONDS);
  return run(SECONDS);
}

async function main(): Promise<void> {
  const env = await createBenchEnv('search');
  const pool = new Pool({ connectionString: env.config.DATABASE_URL, max: 2 });
  const rows: Record<string, string | number>[] = [];
  const hello = Fastify({ logger: false });
  hello.get('/hello', async () => ({ hello: 'world' }));
  let app: Awaited<ReturnType<typeof createHttpApp>> | undefined;
  try {
    const started = Date.now();
    await seed(pool);
    const seedSeconds = (Date.now() - started) / 1000;
    console.log(`seeded ${ACTIVE} active + ${OTHERS} other lots in ${seedSeconds.toFixed(1)} s`);
    const requests = await queryMix(pool);
    const keywordRequests = await keywordMix(pool);

    await hello.listen({ port: 0, host: '127.0.0.1' });
    const helloPort = (hello.server.address() as { port: number }).port;
    const helloRun = await runLoad({ port: helloPort, requests: [{ kind: 'hello', path: '/hello' }], clients: CLIENTS, seconds: SECONDS, warmupSeconds: WARMUP_SECONDS });
    await hello.close();
    rows.push({ target: 'fastify hello-world', ...summarize(helloRun.latencies.hello, helloRun.seconds), errors: 0 });

    app = await createHttpApp(BuyerAppModule.forRoot(env.config), { name: 'buyer', description: 'bench', config: env.config, docs: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.getHttpServer().address() as { port: number }).port;
    const buyer = await makeBuyer(new HttpClient(`http://127.0.0.1:${port}`), { organization: { regionCode: BUYER_REGION } });
    const accessToken = buyer.accessToken;
    const searchRun = await runLoad({ port, token: accessToken, requests, clients: CLIENTS, seconds: SECONDS, warmupSeconds: WARMUP_SECONDS });
    const errors = Object.values(searchRun.errors).reduce((a, b) => a + b, 0);
    if (errors) console.error('errors:', searchRun.errors);
    const principal: Principal = { userId: buyer.user.id, organizationId: buyer.organization.id, kind: 'buyer', role: 'admin', regionCode: null };
    const direct = await serviceOnly(app.get(ListingSearchService), principal, requests);
    const keywordRun = await runLoad({ port, token: accessToken, requests: keywordRequests, clients: CLIENTS, seconds: SECONDS, warmupSeconds: WARMUP_SECONDS });
    const keywordErrors = Object.values(keywordRun.errors).reduce((a, b) => a + b, 0);
    if (keywordErrors) console.error('keyword errors:', keywordRun.errors);
    const keywordDirect = await serviceOnly(app.get(ListingSearchService), principal, keywordRequests);

    const kinds = Object.entries(searchRun.latencies);
    const of = (keep: (kind: string) => boolean) => kinds.filter(([kind]) => keep(kind)).flatMap(([, latencies]) => latencies);
    rows.push({ target: 'GET /listings, the mix', ...summarize(of(() => true), searchRun.seconds), errors });
    rows.push({ target: 'the mix in ListingSearchService (no HTTP)', ...summarize(direct, SECONDS), errors: 0 });
    for (const sort of ['urgency', 'price', 'distance', 'newest']) {
      rows.push({ target: `  sort=${sort}, first pages`, ...summarize(of((k) => k.startsWith(sort) && !k.endsWith('page 2')), searchRun.seconds), errors: '' });
    }
    rows.push({ target: '  second pages (cursor)', ...summarize(of((k) => k.endsWith('page 2')), searchRun.seconds), errors: '' });
    const keywordKinds = Object.entries(keywordRun.latencies);
    rows.push({ target: 'GET /listings?q=…, the keyword mix', ...summarize(keywordKinds.flatMap(([, l]) => l), keywordRun.seconds), errors: keywordErrors });
    rows.push({ target: 'the keyword mix in ListingSearchService', ...summarize(keywordDirect, SECONDS), errors: 0 });
    for (const [kind, latencies] of keywordKinds.filter(([k]) => !k.endsWith('page 2')).sort()) {
      rows.push({ target: `  ${kind}`, ...summarize(latencies, keywordRun.seconds), errors: '' });
    }
    const byKind = Object.fromEntries([...kinds, ...keywordKinds].sort().map(([kind, latencies]) => [kind, summarize(latencies, searchRun.seconds)]));
    report('search', rows, {
      activeLots: ACTIVE,
      otherLots: OTHERS,
      clients: CLIENTS,
      seconds: SECONDS,
      warmupSeconds: WARMUP_SECONDS,
      seedSeconds,
      byKind,
      errorSamples: { ...searchRun.errors, ...keywordRun.errors },
      dbPoolSize: env.config.DB_POOL_SIZE,
      note: 'closed loop, keep-alive, loopback; load generator in a worker thread of the same process; latencies in ms; a followed cursor page is its own request (page 2)',
    });
  } finally {
    await app?.close();
    await pool.end();
    if (process.env.SEARCH_BENCH_KEEP === '1') console.log(`kept ${env.config.DATABASE_URL}`);
    else await env.destroy();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
