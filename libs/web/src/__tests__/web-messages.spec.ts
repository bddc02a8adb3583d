import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { commonEn, commonZh } from '../messages/common';
import { messages as buyerMessages } from '../../../../apps/buyer/web/src/i18n/messages';
import { messages as sellerMessages } from '../../../../apps/seller/web/src/i18n/messages';

const ROOT = path.resolve(__dirname, '../../../..');
const WEB_SOURCES = ['libs/web/src', 'apps/seller/web/src', 'apps/buyer/web/src'];

function keyPaths(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object') return [prefix];
  return Object.entries(value).flatMap(([key, child]) => keyPaths(child, prefix ? `${prefix}.${key}` : key));
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full) : [full];
  });
}

// Comments may say 元 or 督战; only code and templates must not.
const withoutComments = (text: string) => text.replace(/<!--[\s\S]*?-->/g, '').replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');


describe('the web apps’ words', () => {
  it('has every Chinese message in English too, with the same keys and placeholders', () => {
    for (const [zh, en] of [[commonZh, commonEn], [sellerMessages.zh, sellerMessages.en], [buyerMessages.zh, buyerMessages.en]] as const) {
      expect(keyPaths(en).sort()).toEqual(keyPaths(zh).sort());
      const lookup = (obj: unknown, key: string) => key.split('.').reduce<any>((o, k) => o?.[k], obj);
      for (const key of keyPaths(zh)) {
        const placeholders = (text: unknown) => [...String(text).matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
        expect([key, placeholders(lookup(en, key))]).toEqual([key, placeholders(lookup(zh, key))]);
      }
    }
  });

  it('keeps human text out of screens and code: Chinese appears only in the message files', () => {
    const offenders = WEB_SOURCES.flatMap((dir) => files(path.join(ROOT, dir)))
      .filter((file) => /\.(ts|vue)$/.test(file) && !/[/\\](messages|__tests__)[/\\]/.test(file) && !file.endsWith('.d.ts'))
      .flatMap((file) =>
        withoutComments(readFileSync(file, 'utf8'))
          .split('\n')
          .map((line, i) => ({ file: path.relative(ROOT, file), line: i + 1, text: line.trim() }))
          .filter((l) => /\p{Script=Han}/u.test(l.text)),
      );
    expect(offenders).toEqual([]);
  });
});
