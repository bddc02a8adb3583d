import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { type RunningApp, startApp } from '../support/apps';
import { DataSource } from 'typeorm';
import { makePhone } from '../support/factories';
import { holdViolations, matcherSettled } from '../support/matching';
import { createTestEnv, type TestEnv } from '../support/test-env';

const run = promisify(execFile);
const DIST = path.resolve(__dirname, '../../dist');
// Outside the repository, so a developer's .env cannot fill in what a test leaves out.
const CWD = mkdtempSync(path.join(tmpdir(), 'chanxiao-cli-'));

/** Runs a compiled entry point (`npm test` builds first) and returns its exit code and output. */
async function node(script: string, args: string[], env: Record<string, string>) {
  const file = path.join(DIST, script);
  if (!existsSync(file)) throw new Error(`${file} is missing: run npm run build (npm test does it first)`);
  try {
    const { stdout, stderr } = await run(process.execPath, [file, ...args], { cwd: CWD, env: { PATH: process.env.PATH, ...env }, timeout: 60000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('the CLI and start-up, as compiled', () => {
  let env: TestEnv;
  let agency: RunningApp;
  let vars: Record<string, string>;

  beforeAll(async () => {
    env = await createTestEnv();
    agency = await startApp('agency', env);
    vars = { DATABASE_URL: env.databaseUrl, REDIS_URL: env.config.REDIS_URL, REDIS_PREFIX: env.redisPrefix, JWT_SECRET: env.config.JWT_SECRET, LOG_LEVEL: 'error' };
  });

  afterAll(async () => {
    await agency?.close();
    await env?.destroy();
  });

  it('agency:create-user makes a user who can log in to the agency app', async () => {
    const phone = makePhone();
    const result = await node('apps/cli/src/main.js', ['agency:create-user', '--phone', phone, '--password', 'Yunnan2020check', '--name', '李娜', '--region', '530000'], vars);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`created agency user ${phone} (李娜)`);
    expect(result.stdout).toContain('region 530000 云南省');
    const login = await agency.http.post('/api/v1/auth/login', { phone, password: 'Yunnan2020check' });
    expect(login.status).toBe(200);
  });

  it('agency:create-user refuses a weak password and an unknown region, naming them', async () => {
    const weak = await node('apps/cli/src/main.js', ['agency:create-user', '--phone', makePhone(), '--password', 'short', '--name', '李娜', '--region', '530000'], vars);
    expect(weak.code).toBe(1);
    expect(weak.stderr).toContain('password: must be at least 10 characters');
    const unknown = await node('apps/cli/src/main.js', ['agency:create-user', '--phone', makePhone(), '--password', 'Yunnan2020check', '--name', '李娜', '--region', '990000'], vars);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('region: 990000 is not a GB/T 2260 region code');
  });

  it('seed:demo loads cooperatives, every buyer type and agency users, and is safe to run twice', async () => {
    const first = await node('apps/cli/src/main.js', ['seed:demo'], vars);
    expect(first.code).toBe(0);
    expect(first.stdout.match(/^created {2}seller/gm)).toHaveLength(12);
    expect(first.stdout.match(/^created {2}buyer/gm)).toHaveLength(6);
    for (const type of ['wholesale_market', 'ecommerce', 'public_welfare_market', 'logistics', 'consumption_assistance', 'retailer']) {
      expect(first.stdout).toContain(`(${type})`);
    }
    const second = await node('apps/cli/src/main.js', ['seed:demo'], vars);
    expect(second.code).toBe(0);
    expect(second.stdout).not.toMatch(/^created/m);
    expect(first.stdout.match(/^created {2}lot/gm)).toHaveLength(16);
    expect(first.stdout.match(/^created {2}order/gm)).toHaveLength(19);
    expect(first.stdout.match(/^created {2}demand/gm)).toHaveLength(6);
    expect(first.stdout.match(/^created {2}(pledge|campaign|subsidy programme)/gm)).toHaveLength(4);
    expect(first.stdout).toContain('created  campaign 湖北春季滞销农产品专项行动');
    // Each cooperative has a 收款账户, so a buyer paying by bank transfer has somewhere to send the money.
    expect(first.stdout.match(/^created {2}payout account/gm)).toHaveLength(12);
    expect(first.stdout).toContain('created  payout account of 13800138001: 中国农业银行广南县支行 24532627010438001');
    // The second run creates nothing: every seeded organisation, user, lot set, order, demand set and 消费扶贫 item says it exists.
    expect(second.stdout.match(/^exists/gm)).toHaveLength(55);
    const login = await agency.http.post('/api/v1/auth/login', { phone: '13800138201', password: 'Chanxiao2020demo' });
    expect(login.status).toBe(200);

    // A matcher started on the demo data proposes the demo lots to the demo demands without anyone asking.
    const matcher = await startApp('matcher', env, env.configWith({ OUTBOX_POLL_INTERVAL_MS: '200' }));
    try {
      const db = matcher.app.get(DataSource);
      await matcherSettled(db, 30_000);
      const proposed: { category: string; n: number }[] = await db.query(
        `SELECT d.category_code AS category, count(*)::int AS n FROM proposals p JOIN demands d ON d.id = p.demand_id GROUP BY 1 ORDER BY 1`,
      );
      expect(proposed.map((r) => r.category)).toEqual(expect.arrayContaining(['fruit', 'fruit.apple', 'fruit.kiwi', 'grain.rice', 'veg.potato']));
      expect(await holdViolations(db)).toEqual([]);
    } finally {
      await matcher.close();
    }
  });

  it('an app refuses to start without JWT_SECRET, naming it', async () => {
    const { JWT_SECRET: _secret, ...rest } = vars;
    const result = await node('apps/seller/src/main.js', [], { ...rest, SELLER_PORT: '0' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('JWT_SECRET: is missing');
  });

  it('an app refuses a bad port, naming it', async () => {
    const result = await node('apps/buyer/src/main.js', [], { ...vars, BUYER_PORT: 'eighty' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/BUYER_PORT: .*must be an integer number/);
  });
});
