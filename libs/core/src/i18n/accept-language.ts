/** The languages the API answers in; `zh-CN` is the default (SPEC §8). */
export type Language = 'zh-CN' | 'en';

export const DEFAULT_LANGUAGE: Language = 'zh-CN';

/**
 * The language to answer in for an `Accept-Language` header (RFC 9110 §12.5.4): the supported language with the
 * highest q-value, the earlier one on a tie; `zh-CN` when the header is absent, asks only for languages we do not
 * have (`fr`), or is malformed. `en`, `en-US`, `en-GB` → `en`; `zh`, `zh-CN`, `zh-Hans`, `zh-TW` → `zh-CN`;
 * `*` stands for the default.
 */
export function negotiateLanguage(header: string | string[] | undefined): Language {
  const value = Array.isArray(header) ? header.join(',') : header;
  if (!value) return DEFAULT_LANGUAGE;
  let best: Language = DEFAULT_LANGUAGE;
  let bestQ = 0;
  for (const range of value.split(',')) {
    const [tag, ...params] = range.trim().toLowerCase().split(';');
    const language = supported(tag.trim());
    if (!language) continue;
    const q = qValue(params);
    if (q > bestQ) {
      best = language;
      bestQ = q;
    }
  }
  return best;
}

function supported(tag: string): Language | undefined {
  if (tag === 'en' || tag.startsWith('en-')) return 'en';
  if (tag === 'zh' || tag.startsWith('zh-') || tag === '*') return 'zh-CN';
  return undefined;
}

// `q=0.8` → 0.8; no q → 1; a malformed q (`q=high`, `q=2`) makes the range count for nothing.
function qValue(params: string[]): number {
  for (const param of params) {
    const [name, raw] = param.split('=').map((s) => s.trim());
    if (name !== 'q') continue;
    if (!/^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(raw ?? '')) return 0;
    return Number(raw);
  }
  return 1;
}
