import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { addDays, chinaDate, type Principal } from '@chanxiao/core';
import { DemandsService } from '@chanxiao/demands';
import { ListingsService } from '@chanxiao/listings';
import { buildArcs, greedyAllocation } from '@chanxiao/matching';
import { loadDemands, loadLots, MatchOptimizerService } from '@chanxiao/proposals';
import { type RunningApp, startApp } from '../support/apps';
import { demandInput, listingInput, registerPrincipal } from '../support/factories';
import { holdViolations } from '../support/matching';
import { createTestEnv, type TestEnv } from '../support/test-env';

const run = promisify(execFile);

/**
 * The global re-optimisation against the database, without a matcher running (so no incremental matching
 * interferes): it must find the allocation greedy misses, store it as proposals with holds, build on what is held
 * on a second run, and never run twice at once.
 */
describe('global re-optimisation', () => {
  let env: TestEnv;
  let app: RunningApp;
  let db: DataSource;
  let optimizer: MatchOptimizerService;

  const register = (kind: 'seller' | 'buyer', regionCode: string) =>
    registerPrincipal(app.app, kind, { regionCode, ...(kind === 'buyer' ? { buyerType: 'consumption_assistance' } : {}) });

  const lot = async (owner: Principal, overrides: Record<string, unknown>) => {
    const listings = app.app.get(ListingsService);
    const created = await listings.create(owner, listingInput({ quantityKg: 1000, minOrderKg: 100, unitPriceFen: 500, ...overrides }) as never);
    await listings.publish(owner, created.id);
    return created.id;
  };
  const demand = async (owner: Principal, overrides: Record<string, unknown>) =>
    (await app.app.get(DemandsService).create(owner, demandInput({ quantityKg: 1000, maxUnitPriceFen: 800, deliverBy: addDays(chinaDate(), 20), ...overrides }) as never)).id;

  beforeAll(async () => {
    env = await createTestEnv();
    // One buyer may take a whole lot here, so the example is about the allocation, not the share limit.
    app = await startApp('seller', env, env.configWith({ MATCH_MAX_BUYER_SHARE_PERCENT: '100' }));
    db = app.app.get(DataSource);
    optimizer = app.app.get(MatchOptimizerService);
  });

  afterAll(async () => {
    await app?.close();
    await env?.destroy();
  });

  it('finds the allocation greedy misses and stores it as proposals that hold stock', async () => {
    const supervised = await register('seller', '532627');
    const plain = await register('seller', '330106');
    const canteen = await register('buyer', '440300');
    const market = await register('buyer', '310101');
    // Apples from 广南 (supervised) suit both demands; kiwis from Hangzhou suit only the "any fruit" one.
    const apples = await lot(supervised, { categoryCode: 'fruit.apple' });
    const kiwis = await lot(plain, { categoryCode: 'fruit.kiwi', title: '猕猴桃' });
    // The Shenzhen canteen wants any fruit, the Shanghai market apples only. Apples→canteen (supervised county,
    // nearer) is the single best pair and all greedy sees, leaving the market with nothing and the kiwis unsold;
    // the optimum sends the apples to the market and the kiwis to the canteen (scores 8.30 + 2.41 > 8.4).
    const anyFruit = await demand(canteen, { categoryCode: 'fruit', preferPoverty: false });
    const applesOnly = await demand(market, { categoryCode: 'fruit.apple', preferPoverty: false });

    const facts = buildArcs(await loadLots(db.manager, 'true'), await loadDemands(db.manager, 'true'), chinaDate(), optimizer.weights);
    const greedy = greedyAllocation(facts);
    expect(greedy.allocations.map((a) => [a.lotId, a.demandId])).toEqual([[apples, anyFruit]]);

    const report = await optimizer.optimize();
    expect(report).toMatchObject({ ran: true, lots: 2, demands: 2, pairs: 3, allocations: 2, proposed: 2, proposedKg: 2000 });
    expect(report.objective).toBeGreaterThan(greedy.objective * 1.2);
    expect(report.proposedObjective).toBe(report.objective);
    const proposals = await db.query(`SELECT listing_id, demand_id, quantity_grams::int AS grams, source, status FROM proposals ORDER BY listing_id = $1 DESC`, [apples]);
    expect(proposals).toEqual([
      { listing_id: apples, demand_id: applesOnly, grams: 1_000_000, source: 'optimizer', status: 'proposed' },
      { listing_id: kiwis, demand_id: anyFruit, grams: 1_000_000, source: 'optimizer', status: 'proposed' },
    ]);
    expect(await holdViolations(db)).toEqual([]);
    const [stock] = await db.query(`SELECT sum(available_grams)::int AS available, sum(reserved_grams)::int AS reserved FROM listings WHERE id = ANY($1)`, [[apples, kiwis]]);
    expect(stock).toEqual({ available: 0, reserved: 2_000_000 });
  });

  it('builds on what is held: a second run proposes only for what is new', async () => {
    const seller = await register('seller', '620522');
    const buyer = await register('buyer', '110105');
    const pears = await lot(seller, { categoryCode: 'fruit.pear', title: '砀山酥梨', quantityKg: 3000 });
    const wanted = await demand(buyer, { categoryCode: 'fruit.pear', quantityKg: 2000 });
    const report = await optimizer.optimize();
    expect(report).toMatchObject({ ran: true, lots: 1, demands: 1, proposed: 1, proposedKg: 2000 });
    expect((await optimizer.optimize()).proposed).toBe(0);
    expect(await db.query(`SELECT demand_id FROM proposals WHERE listing_id = $1`, [pears])).toEqual([{ demand_id: wanted }]);
    expect(await holdViolations(db)).toEqual([]);
  });

  it('does nothing while another run holds the lock', async () => {
    const other = new Client({ connectionString: env.databaseUrl });
    await other.connect();
    try {
      await other.query(`SELECT pg_advisory_lock($1)`, [0x63785f6f]);
      expect(await optimizer.optimize()).toMatchObject({ ran: false, proposed: 0 });
    } finally {
      await other.end();
    }
    expect((await optimizer.optimize()).ran).toBe(true);
  });

  it('runs from the CLI: npm run cli -- match:optimize', async () => {
    const seller = await register('seller', '433127');
    const buyer = await register('buyer', '440300');
    await lot(seller, { categoryCode: 'veg.garlic', title: '大蒜', unitPriceFen: 600 });
    await demand(buyer, { categoryCode: 'veg.garlic', quantityKg: 400, coldChainCapable: false });
    const { stdout } = await run(process.execPath, [path.resolve(__dirname, '../../dist/apps/cli/src/main.js'), 'match:optimize'], {
      env: { PATH: process.env.PATH, ...env.vars },
      timeout: 60_000,
    });
    expect(stdout).toMatch(/^re-optimised \d+ lots × 1 demands \(1 feasible pairs\) in \d+ ms: 1 allocations worth \d+ \(LP bound \d+\), 1 proposals stored for 400 kg$/m);
  });
});
