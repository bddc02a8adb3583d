/**
 * Translation of the API's English messages by template. A catalog maps English templates to translated ones:
 *
 *   'the price changed to {fen} fen/kg while ordering': '下单期间价格已变为 {fen} 分/公斤'
 *
 * A placeholder is `{name}` or `{name:type}`; the translation uses the same names (it may leave some out):
 * - `{x}` a value, copied as is (ids, numbers, dates, names); it never spans a `; `;
 * - `{x:any}` any text, `; ` included (what another library said), copied or left out;
 * - `{x:field}` an API field path (`lines[2].quantityKg`), copied;
 * - `{x:num}` a number, copied;
 * - `{x:msg}` a message, itself translated (if it cannot be, the template does not apply);
 * - `{x:list}` messages joined by `; `, each translated, joined by `；`;
 * - `{x:msgs}` messages joined by `, `, each translated, joined by `、`;
 * - `{x:term}` a word or phrase from the terms table (a region level, what a call was doing), else a message of
 *   the catalog, else copied as is;
 * - `{x:terms}` words joined by `, `, each a `term`, joined by `、`;
 * - `{x:known}` a word that must be in the terms table (a state, a kind of record), else the template does not
 *   apply;
 * - `{x:<ns>}` (any other type) a word that must be in the terms table as `<ns>:word` or as `word`: `{s:pool}`
 *   finds `pool:filled` before `filled`.
 * Templates are tried in order; the first whose text matches and whose placeholders translate wins.
 */
export interface CatalogSource {
  /** English template → translated template, in the order they are tried. */
  messages: Readonly<Record<string, string>>;
  /** Words that appear inside messages: states, region levels, app kinds, what a call to Stripe was doing. */
  terms: Readonly<Record<string, string>>;
  /** How `{x:list}` and `{x:terms}` join their translated items. */
  listSeparator: string;
  termSeparator: string;
}

interface Placeholder {
  name: string;
  type: string;
}

interface CompiledEntry {
  index: number;
  template: string;
  pattern: RegExp;
  placeholders: Placeholder[];
  translation: string;
}

const PLACEHOLDER = /\{(\w+)(?::(\w+))?\}/g;
// A value (`{x}`, `{x:term}`, …) never spans a `; `, which joins messages; a message or free text may.
const PATTERNS: Record<string, string> = {
  field: '([A-Za-z_][\\w.\\[\\]-]*)',
  num: '(-?\\d+(?:\\.\\d+)?)',
  msg: '(.+?)',
  list: '(.+?)',
  any: '(.+?)',
};
const VALUE = '((?:(?!; ).)+?)';
const MAX_DEPTH = 4;
const MAX_LIST_ITEMS = 12;

/** A compiled catalog: exact messages in a map, templates bucketed by their first word. */
export class MessageCatalog {
  private readonly exact = new Map<string, string>();
  private readonly byFirstWord = new Map<string, CompiledEntry[]>();
  /** Templates that start with a placeholder: tried for every message, after the bucket's in catalog order. */
  private readonly open: CompiledEntry[] = [];
  private readonly terms: ReadonlyMap<string, string>;

  constructor(private readonly source: CatalogSource) {
    this.terms = new Map(Object.entries(source.terms));
    Object.entries(source.messages).forEach(([template, translation], index) => {
      const placeholders = [...template.matchAll(PLACEHOLDER)].map((m) => ({ name: m[1], type: m[2] ?? 'text' }));
      if (placeholders.length === 0) {
        if (!this.exact.has(template)) this.exact.set(template, translation);
        return;
      }
      const entry: CompiledEntry = { index, template, pattern: compile(template), placeholders, translation };
      const first = template.split(' ', 1)[0];
      if (first.includes('{')) this.open.push(entry);
      else this.byFirstWord.set(first, [...(this.byFirstWord.get(first) ?? []), entry]);
    });
  }

  /** The number of templates (and exact messages) in the catalog. */
  get size(): number {
    return Object.keys(this.source.messages).length;
  }

  /**
   * The translation of `message`, or null when no template of the catalog covers it. Messages joined by `; `
   * (a state machine's reasons, a list of field problems) are translated item by item when no template covers
   * the whole.
   */
  translate(message: string): string | null {
    return this.translateAt(message, 0) ?? (message.includes('; ') ? this.translateList(message, 0) : null);
  }

  /** The translation of a word (a state, a level) from the terms table, or undefined. */
  term(word: string, namespace?: string): string | undefined {
    return (namespace ? this.terms.get(`${namespace}:${word}`) : undefined) ?? this.terms.get(word);
  }

  /** Whether `template` is an entry of the catalog (for tests). */
  has(template: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.source.messages, template);
  }

  private translateAt(message: string, depth: number): string | null {
    const exact = this.exact.get(message);
    if (exact !== undefined) return exact;
    if (depth > MAX_DEPTH) return null;
    for (const entry of this.candidates(message)) {
      const match = entry.pattern.exec(message);
      if (!match) continue;
      const translated = this.fill(entry, match, depth);
      if (translated !== null) return translated;
    }
    return null;
  }

  // The bucket of the message's first word and the open templates, merged back into catalog order.
  private candidates(message: string): CompiledEntry[] {
    const bucket = this.byFirstWord.get(message.split(' ', 1)[0]) ?? [];
    if (bucket.length === 0) return this.open;
    if (this.open.length === 0) return bucket;
    const merged: CompiledEntry[] = [];
    let i = 0;
    let j = 0;
    while (i < bucket.length || j < this.open.length) {
      if (j >= this.open.length || (i < bucket.length && bucket[i].index < this.open[j].index)) merged.push(bucket[i++]);
      else merged.push(this.open[j++]);
    }
    return merged;
  }

  private fill(entry: CompiledEntry, match: RegExpExecArray, depth: number): string | null {
    const values = new Map<string, string>();
    for (let i = 0; i < entry.placeholders.length; i++) {
      const { name, type } = entry.placeholders[i];
      const value = this.convert(match[i + 1], type, depth);
      if (value === null) return null;
      values.set(name, value);
    }
    return entry.translation.replace(PLACEHOLDER, (whole, name: string) => values.get(name) ?? whole);
  }

  private convert(value: string, type: string, depth: number): string | null {
    switch (type) {
      case 'text':
      case 'any':
      case 'field':
      case 'num':
        return value;
      case 'msg':
        return this.translateAt(value, depth + 1);
      case 'list':
        return this.translateAt(value, depth + 1) ?? this.translateList(value, depth + 1);
      case 'msgs': {
        const items = value.split(', ').map((item) => this.translateAt(item, depth + 1));
        return items.includes(null) ? null : items.join(this.source.termSeparator);
      }
      case 'term':
        return this.term(value) ?? this.translateAt(value, depth + 1) ?? value;
      case 'terms':
        return value.split(', ').map((word) => this.term(word) ?? word).join(this.source.termSeparator);
      case 'known':
        return this.term(value) ?? null;
      default:
        return this.term(value, type) ?? null;
    }
  }

  // `a; b; c` as consecutive groups that each translate, longest first: one item may itself hold a `; `.
  private translateList(value: string, depth: number): string | null {
    const items = value.split('; ');
    if (items.length < 2 || items.length > MAX_LIST_ITEMS || depth > MAX_DEPTH) return null;
    const from = (i: number): string[] | null => {
      if (i === items.length) return [];
      for (let j = items.length; j > i; j--) {
        if (i === 0 && j === items.length) continue;
        const head = this.translateAt(items.slice(i, j).join('; '), depth + 1);
        const rest = head === null ? null : from(j);
        if (head !== null && rest !== null) return [head, ...rest];
      }
      return null;
    };
    return from(0)?.join(this.source.listSeparator) ?? null;
  }
}

function compile(template: string): RegExp {
  let pattern = '';
  let last = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    pattern += escape(template.slice(last, m.index)) + (PATTERNS[m[2] ?? ''] ?? VALUE);
    last = m.index + m[0].length;
  }
  return new RegExp(`^${pattern}${escape(template.slice(last))}$`, 's');
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
