import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { DataSource } from 'typeorm';
import { type RunningApp, startApp } from '../support/apps';
import { type Browser, launchBrowser, pageErrors, screenshot, seriousViolations } from '../support/browser';
import { makeBuyer, makeDemand, makePhone, makeUscc, TEST_PASSWORD } from '../support/factories';
import { IMPORT_HEADER, lotRows } from '../support/lot-rows';
import { matcherSettled } from '../support/matching';
import { createTestEnv, type TestEnv } from '../support/test-env';
import { waitFor } from '../support/wait';

/**
 * A cooperative's whole business in the seller web app, in Debian's Chromium at phone size and in Chinese:
 * register (USCC checked as typed, county picked province → city → county, its badges shown), a lot with a
 * photo, publish, a spreadsheet import with a bad row, a proposal the matcher made for a buyer's demand
 * accepted, the bank transfer confirmed, the order shipped. axe on every screen; screenshots for the docs.
 */
describe('the seller web app in Chromium: a cooperative’s journey on a phone', () => {
  let env: TestEnv;
  let seller: RunningApp;
  let buyer: RunningApp;
  let matcher: RunningApp;
  let db: DataSource;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let files: string;
  const phone = makePhone();
  const violations: Record<string, unknown[]> = {};

  /** axe on the screen as it is now, and its screenshot under docs/screenshots/seller-<name>.png. */
  async function check(name: string): Promise<void> {
    await page.waitForTimeout(350); // let Vant's transitions finish before looking
    violations[name] = await seriousViolations(page);
    await screenshot(page, `seller-${name}`);
  }

  /** An option of the open cascader (a county's option also carries its badges). */
  const option = (name: string) => page.getByRole('dialog').locator('.van-cascader__option', { hasText: new RegExp(`^\\s*${name}`) });
  const lotRow = async (title: string) => (await db.query(`SELECT id, status FROM listings WHERE title = $1`, [title]))[0] as { id: string; status: string } | undefined;

  beforeAll(async () => {
    env = await createTestEnv();
    files = mkdtempSync(path.join(tmpdir(), 'chanxiao-seller-web-'));
    const config = env.configWith({ OUTBOX_POLL_INTERVAL_MS: '200', PHOTO_STORAGE_DIR: path.join(files, 'photos') });
    seller = await startApp('seller', env, config);
    buyer = await startApp('buyer', env, config);
    matcher = await startApp('matcher', env, config);
    db = matcher.app.get(DataSource);
    browser = await launchBrowser();
    page = await browser.context.newPage();
    errors = pageErrors(page);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await matcher?.close();
    await buyer?.close();
    await seller?.close();
    await env?.destroy();
    if (files) rmSync(files, { recursive: true, force: true });
  });

  it('registers, lists a lot with a photo, imports, accepts a proposal, confirms the transfer and ships', async () => {
    // ── Register: the USCC is checked as it is typed; the county comes from the regions API with its badges.
    await page.goto(`${seller.baseUrl}/#/register`);
    await page.locator('#reg-name').fill('广南县八宝镇稻香村农民专业合作社');
    const uscc = makeUscc('532627');
    await page.locator('#reg-credit-code').fill(uscc.slice(0, 17) + (uscc[17] === '0' ? '1' : '0'));
    await page.locator('#reg-credit-code').blur();
    await page.getByText('校验位不正确').waitFor();
    await page.locator('#reg-credit-code').fill(uscc);
    await page.getByText('校验通过').waitFor();
    await page.locator('#reg-region').click();
    for (const place of ['云南省', '文山壮族苗族自治州', '广南县']) await option(place).click();
    await page.locator('.cx-region-badges').getByText('督战').waitFor();
    await page.locator('.cx-region-badges').getByText('贫困县').waitFor();
    await page.locator('#reg-contact-phone').fill(phone);
    await page.locator('#reg-households').fill('86');
    await page.locator('#reg-phone').fill(phone);
    await page.locator('#reg-user-name').fill('黄美玲');
    await page.locator('#reg-password').fill(TEST_PASSWORD);
    await check('register');
    await page.getByRole('button', { name: '注册并登录' }).click();
    await page.locator('.van-nav-bar__title', { hasText: '我的货品' }).waitFor();
    await check('lots-empty');

    // A buyer's demand for apples is waiting, so the matcher proposes the lot as soon as it is on sale.
    const canteen = await makeBuyer(buyer.http);
    const demand = await makeDemand(buyer.http, canteen.accessToken, { categoryCode: 'fruit.apple', quantityKg: 3000, maxUnitPriceFen: 750 });

    // ── A lot: category from the taxonomy, quantities, price in 元; saved as a draft, then a photo, then publish.
    await page.getByRole('button', { name: '发布货品' }).click();
    await page.locator('#lot-category').click();
    await option('水果').click();
    await option('苹果').click();
    const title = '广南高山红富士苹果 75mm+';
    await page.locator('#lot-title').fill(title);
    await page.locator('#lot-variety').fill('红富士');
    await page.locator('#lot-quantity').fill('12000');
    await page.locator('#lot-min-order').fill('500');
    await page.locator('#lot-price').fill('6.80');
    await page.locator('#lot-certificate').fill('FP2020-532627-0412');
    await check('lot-new');
    await page.getByRole('button', { name: '保存草稿' }).click();
    await waitFor('the draft saved', async () => (await lotRow(title))?.status === 'draft');
    await page.getByRole('heading', { name: title }).waitFor();

    const photo = path.join(files, 'apples.jpg');
    writeFileSync(photo, await sharp({ create: { width: 1600, height: 1200, channels: 3, background: { r: 190, g: 30, b: 45 } } }).jpeg().toBuffer());
    await page.locator('.photos input[type=file]').setInputFiles(photo);
    await page.getByRole('button', { name: '查看照片 1' }).waitFor({ timeout: 20_000 });
    const { id: lotId } = (await lotRow(title))!;
    const [{ photos }] = await db.query(`SELECT count(*)::int AS photos FROM listing_photos WHERE listing_id = $1`, [lotId]);
    expect(photos).toBe(1);

    await page.getByRole('button', { name: '上架' }).click();
    await page.locator('[data-status=active]').first().waitFor();
    expect((await lotRow(title))!.status).toBe('active');
    await check('lot-active');

    // ── Import: two good rows and one with a price in words; the report names the failing row and column.
    const { rows } = lotRows(2);
    const csv = [IMPORT_HEADER, ...rows, rows[0].split(',').map((v, i) => (i === 6 ? '六块五' : i === 1 ? '六块五的苹果' : v)).join(',')].join('\n');
    const file = path.join(files, 'lots.csv');
    writeFileSync(file, csv);
    await page.goto(`${seller.baseUrl}/#/import`);
    await page.getByRole('button', { name: '开始导入' }).waitFor();
    await page.locator('.import-picker input[type=file]').setInputFiles(file);
    await page.locator('[data-testid=chosen-file]').waitFor();
    await page.getByRole('button', { name: '开始导入' }).click();
    await page.locator('[data-count=failed]').waitFor({ timeout: 30_000 });
    await waitFor('the import report', async () => (await page.locator('[data-count=created]').textContent()) === '2', 30_000);
    expect(await page.locator('[data-count=failed]').textContent()).toBe('1');
    const failedRow = page.locator('.import-row');
    expect(await failedRow.count()).toBe(1);
    expect(await failedRow.locator('h4').textContent()).toContain('4');
    expect(await failedRow.textContent()).toContain('单价');
    await check('import-report');

    // ── The proposal: the buyer has accepted it; the cooperative accepts in its inbox and an order is made.
    await waitFor('the matcher’s proposal', async () => (await db.query(`SELECT 1 FROM proposals WHERE listing_id = $1 AND demand_id = $2`, [lotId, demand.id])).length === 1, 30_000);
    const [{ id: proposalId }] = await db.query(`SELECT id FROM proposals WHERE listing_id = $1`, [lotId]);
    expect((await buyer.http.post(`/api/v1/proposals/${proposalId}/accept`, undefined, canteen.accessToken)).status).toBe(200);
    await page.getByRole('tab', { name: '对接' }).click();
    const card = page.locator(`[data-proposal="${proposalId}"]`);
    await card.waitFor();
    expect(await card.locator('[data-countdown]').textContent()).toMatch(/小时|天|分钟/);
    await check('proposals');
    await card.getByRole('button', { name: '接受' }).click();
    await card.locator('[data-status=confirmed]').waitFor();
    const [{ order_id: orderId }] = await db.query(`SELECT order_id FROM proposals WHERE id = $1`, [proposalId]);
    expect(orderId).toEqual(expect.any(String));

    // ── The order: the buyer's bank transfer arrives; the cooperative confirms it, then ships.
    await page.getByRole('tab', { name: '订单' }).click();
    await page.locator(`[data-order="${orderId}"]`).click();
    await page.getByRole('button', { name: '确认收到货款' }).click();
    await page.getByRole('dialog').getByRole('button', { name: '确认收到货款' }).click();
    await page.locator('#ship-tracking').waitFor();
    expect((await db.query(`SELECT status FROM orders WHERE id = $1`, [orderId]))[0].status).toBe('paid');
    await page.locator('#ship-carrier').click();
    await page.getByRole('dialog').getByText('顺丰速运', { exact: true }).click();
    await page.locator('#ship-tracking').fill('SF1402637518820');
    await check('order-ship');
    await page.getByRole('button', { name: '确认发货' }).click();
    await page.locator('[data-shipping]').waitFor();
    const [shipped] = await db.query(`SELECT status, carrier, tracking_no FROM orders WHERE id = $1`, [orderId]);
    expect(shipped).toEqual({ status: 'shipped', carrier: '顺丰速运', tracking_no: 'SF1402637518820' });
    await check('order-shipped');

    // ── The account screens: organisation profile with badges, payout account, members.
    await page.getByRole('tab', { name: '我的' }).click();
    await page.getByRole('heading', { name: '广南县八宝镇稻香村农民专业合作社' }).waitFor();
    await check('account');
    await page.getByText('收款账户').click();
    await page.getByRole('button', { name: '保存收款账户' }).waitFor();
    await check('payout-account');

    await matcherSettled(db);
    expect(errors).toEqual([]);
    expect(violations).toEqual(Object.fromEntries(Object.keys(violations).map((k) => [k, []])));
  }, 240_000);
});
