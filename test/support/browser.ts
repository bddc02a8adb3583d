import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

export const PHONE_VIEWPORT = { width: 390, height: 844 };
export const SCREENSHOTS = path.resolve(__dirname, '../../docs/screenshots');

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Debian's Chromium (no browser download here), headless, in a fresh empty profile, at phone size by default,
 * in Chinese and Beijing time. Without the background-networking flags Chromium keeps dialling out of this
 * closed network.
 */
export async function launchBrowser(options: { viewport?: { width: number; height: number }; locale?: string } = {}): Promise<Browser> {
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'chanxiao-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    acceptDownloads: true,
    viewport: options.viewport ?? PHONE_VIEWPORT,
    deviceScaleFactor: 1,
    isMobile: false,
    hasTouch: true,
    locale: options.locale ?? 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Collects the page's uncaught errors, to assert none happened. */
export function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

/**
 * axe's serious and critical violations on the page as it is now (WCAG 2 A/AA rules). A toast still fading in or
 * out is half transparent, which axe reads as low contrast: the scan waits (up to 3 s) until none is on screen.
 */
export async function seriousViolations(page: Page): Promise<Array<{ id: string; impact: string; help: string; targets: string[] }>> {
  await page.waitForFunction(() => ![...document.querySelectorAll('.van-toast')].some((el) => getComputedStyle(el).display !== 'none'), undefined, { timeout: 3000 }).catch(() => undefined);
  const result = await new AxeBuilder({ page } as never).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact ?? '', help: v.help, targets: v.nodes.map((n) => String(n.target)) }));
}

/** Saves a screenshot of what the page shows now under docs/screenshots/<name>.png (phone size, the whole page). */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
