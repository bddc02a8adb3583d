import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { type BrowserContext, chromium } from 'playwright-core';
import { chinaDate } from '@chanxiao/core';
import { monthPeriod } from '@chanxiao/reporting';
import { formatInt, formatKg, formatRate, formatYuan, previousMonthOf } from '../../apps/agency/web/src/format';
import { type RunningApp, startApp } from '../support/apps';
import { makePhone } from '../support/factories';
import { createTestEnv, type TestEnv } from '../support/test-env';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');
const OUTPUT = path.join(ROOT, 'test-output');
const PASSWORD = 'Yunnan2020check';

/**
 * The web dashboard in real headless Chromium (Debian's, driven by playwright-core): demo data from the CLI's
 * seed, an agency user made by the CLI logs in, sees the seeded figures and charts, and downloads the report.
 */
describe('the agency web dashboard in Chromium', () => {
  let env: TestEnv;
  let agency: RunningApp;
  let context: BrowserContext;
  let userDataDir: string;
  const phone = makePhone();

  const cli = async (...args: string[]) => {
    const vars = { PATH: process.env.PATH ?? '', DATABASE_URL: env.databaseUrl, REDIS_URL: env.config.REDIS_URL, REDIS_PREFIX: env.redisPrefix, JWT_SECRET: env.config.JWT_SECRET, LOG_LEVEL: 'error' };
    return run(process.execPath, [path.join(ROOT, 'dist/apps/cli/src/main.js'), ...args], { cwd: tmpdir(), env: vars, timeout: 120_000 });
  };

  beforeAll(async () => {
    env = await createTestEnv();
    agency = await startApp('agency', env);
    await cli('seed:demo');
    const created = await cli('agency:create-user', '--phone', phone, '--password', PASSWORD, '--name', '李娜', '--region', '530000');
    expect(created.stdout).toContain('region 530000 云南省');
    userDataDir = mkdtempSync(path.join(tmpdir(), 'chanxiao-chromium-'));
    // A fresh, empty profile; without the background-networking flags Chromium keeps dialling out of this closed network.
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      acceptDownloads: true,
      viewport: { width: 1400, height: 1000 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
    await agency?.close();
    await env?.destroy();
  });

  it('logs in, shows the province’s seeded figures and charts, and downloads the monthly XLSX', async () => {
    const today = chinaDate();
    const lastMonth = previousMonthOf(today);
    const query = `from=${lastMonth}-01&to=${today}`;
    const token = (await agency.http.post('/api/v1/auth/login', { phone, password: PASSWORD })).body.accessToken;
    const api = async (p: string) => (await agency.http.get(`/api/v1${p}`, token)).body;
    const [summary, counties, categories, trend, atRisk, assistance] = await Promise.all([
      api(`/dashboard/summary?${query}`), api(`/dashboard/counties?${query}`), api(`/dashboard/categories?${query}`), api('/dashboard/trend?months=12'), api('/listings/at-risk?limit=50'),
      api(`/dashboard/assistance?${query}`),
    ]);
    // The seed sold in Yunnan over the last two months, so there is something real to show.
    expect(summary.current.soldFen).toBeGreaterThan(0);

    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${agency.baseUrl}/`);
    await page.fill('#phone', phone);
    await page.fill('#password', 'wrong-password-1');
    await page.click('#login-button');
    await page.waitForFunction(() => document.getElementById('login-error')?.textContent !== '');
    expect(await page.textContent('#login-error')).toBe('手机号或密码错误');
    await page.fill('#password', PASSWORD);
    await page.click('#login-button');
    await page.waitForSelector('body[data-loaded="true"]', { timeout: 30_000 });
    expect(await page.textContent('#region-name')).toBe('云南省（530000）');

    // Every summary figure on the page is the API's, formatted.
    const figure = (key: string) => page.textContent(`[data-figure="${key}"] .number`);
    expect(await figure('listedKg')).toBe(formatKg(summary.current.listedKg));
    expect(await figure('stalledKg')).toBe(formatKg(summary.current.stalledKg));
    expect(await figure('soldKg')).toBe(formatKg(summary.current.soldKg));
    expect(await figure('soldFen')).toBe(formatYuan(summary.current.soldFen));
    expect(await figure('orders')).toBe(formatInt(summary.current.orders));
    expect(await figure('buyers')).toBe(formatInt(summary.current.buyers));
    expect(await figure('sellThroughRate')).toBe(formatRate(summary.current.sellThroughRate));

    // The charts are SVG: their labels are text on the page, with the API's numbers.
    const chartText = async (id: string) => (await page.$$eval(`#${id} svg text`, (nodes) => nodes.map((n) => n.textContent ?? ''))) as string[];
    const countyText = await chartText('county-chart');
    const topCounty = [...counties.items].sort((a, b) => b.soldKg - a.soldKg)[0];
    expect(countyText).toContain(topCounty.name + (topCounty.isSupervisedCounty ? '★' : ''));
    for (const c of counties.items.filter((r: { soldKg: number }) => r.soldKg > 0)) expect(countyText).toContain(formatKg(c.soldKg));
    const categoryText = await chartText('category-chart');
    for (const c of categories.items.filter((r: { soldFen: number }) => r.soldFen > 0)) {
      expect(categoryText).toContain(c.nameZh);
      expect(categoryText).toContain(formatYuan(c.soldFen));
    }
    const trendText = await chartText('trend-chart');
    for (const p of trend.items.filter((r: { soldFen: number }) => r.soldFen > 0)) expect(trendText).toContain(formatYuan(p.soldFen));
    expect(trendText).toContain(today.slice(0, 7));

    // The at-risk table lists the API's lots in its order.
    const rows = await page.$$eval('#at-risk tbody tr', (trs) => trs.map((tr) => (tr as HTMLElement).dataset.lot));
    expect(rows).toEqual(atRisk.items.map((l: { id: string }) => l.id));
    expect(rows.length).toBeGreaterThan(0);

    // The 消费扶贫 panel: the seed's Yunnan campaign and 文山州's courier subsidy programme, figures as the API's.
    expect(assistance.campaigns.length).toBeGreaterThan(0);
    for (const c of assistance.campaigns) {
      const row = await page.textContent(`#campaigns tr[data-campaign="${c.id}"]`);
      expect(row).toContain(c.name);
      expect(row).toContain(formatYuan(c.soldFen));
    }
    expect(assistance.subsidies.length).toBeGreaterThan(0);
    for (const p of assistance.subsidies) {
      const row = await page.textContent(`#subsidies tr[data-programme="${p.id}"]`);
      expect(row).toContain(p.name);
      expect(row).toContain(formatYuan(p.budgetFen));
      expect(row).toContain(formatYuan(p.remainingFen));
    }
    expect(await page.locator('#pledges tbody tr').count()).toBe(Math.max(1, assistance.pledges.purchasers.length));

    mkdirSync(OUTPUT, { recursive: true });
    await page.screenshot({ path: path.join(OUTPUT, 'agency-dashboard.png'), fullPage: true });

    // Download last month's report and read it back.
    expect(await page.inputValue('#report-month')).toBe(lastMonth);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-report')]);
    expect(download.suggestedFilename()).toBe(`产销月报-530000-${lastMonth}.xlsx`);
    const file = path.join(OUTPUT, download.suggestedFilename());
    await download.saveAs(file);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(readFileSync(file) as never);
    const sheet = workbook.getWorksheet('汇总')!;
    const cell = (label: string) => {
      let value: ExcelJS.CellValue = null;
      sheet.eachRow((row) => {
        if (row.getCell(1).value === label) value = row.getCell(2).value;
      });
      return value;
    };
    const { from, to } = monthPeriod(lastMonth);
    const month = await api(`/dashboard/summary?from=${from}&to=${to}`);
    expect(cell('销售额（元）')).toBe(month.current.soldFen / 100);
    expect(cell('销售量（公斤）')).toBe(month.current.soldKg);
    expect(cell('订单数')).toBe(month.current.orders);
    await page.waitForFunction(() => document.getElementById('report-status')?.textContent?.startsWith('已下载'));
    expect(errors).toEqual([]);
  }, 120_000);
});
