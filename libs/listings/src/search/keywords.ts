import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict';
import { pinyin } from 'pinyin-pro';

/**
 * Produce varieties and place-brand words that jieba's default dictionary cuts apart (花牛 → 花|牛, 八宝贡米 →
 * 八宝|贡米 only): each becomes one word of the user dictionary, so `q=花牛` finds 花牛苹果 and not every 花 and 牛.
 * A lot's own `variety` is indexed whole as well, so a variety missing here is still found by that field.
 */
export const KNOWN_VARIETIES = [
  '花牛', '红富士', '富士', '矮砧', '嘎啦', '秦冠', '黄元帅', '八宝贡米', '贡米', '黑糯米', '香糯', '红米',
  '脐橙', '赣南脐橙', '冰糖橙', '沃柑', '砂糖橘', '蜜柚', '琯溪蜜柚', '红心猕猴桃', '猕猴桃', '红阳', '徐香', '妃子笑', '桂味',
  '骏枣', '灰枣', '和田红枣', '草果', '半夏', '旱半夏', '普洱', '古树', '生茶', '熟茶', '滇红', '大叶种', '景迈',
  '马铃薯', '青薯9号', '荞麦', '苦荞', '牦牛', '牦牛肉', '黄牛', '新晃黄牛', '香菇', '木耳', '核桃', '花椒', '辣椒', '小米辣',
  '富硒', '高原', '冷鲜', '有机', '绿色', '地理标志',
];

/** The suffixes of county-level names: 广南县 is searched as 广南 too. */
const COUNTY_SUFFIX = /(各族自治县|族自治县|自治县|自治旗|林区|特区|新区|县|市|区|旗)$/;
const WORD = /[\p{L}\p{N}]+/gu;
const CJK = /\p{Script=Han}/u;
const MAX_TERM_CHARS = 40;

/** The longest `q` a buyer may send. */
export const KEYWORDS_MAX_CHARS = 50;

/** What a lot is found by: its own words, its category's names, and its county's (and city's, province's) names. */
export interface KeywordSource {
  title: string;
  variety: string | null;
  grade?: string | null;
  categoryNames: string[];
  regionNames: string[];
}

type Weight = 'A' | 'B' | 'C' | 'D';

/**
 * Chinese keyword segmentation for buyer search (PostgreSQL cannot cut Chinese text itself). A lot's text is cut
 * with jieba in search mode (compounds and their parts) over the default dictionary plus a user dictionary of the
 * taxonomy, the counties and {@link KNOWN_VARIETIES}, and stored as a `tsvector` of those words under the `simple`
 * configuration, with the pinyin initials of each Chinese word (苹果 → pg) and, weighted lowest, each Chinese
 * character alone (so 橙 finds 脐橙). A query is cut the same way; every one of its words must match.
 *
 * Weights rank `sort=relevance`: A title and variety, B category, C county, D single characters and initials.
 */
export class KeywordSegmenter {
  private readonly jieba: Jieba;

  constructor(words: Iterable<string>) {
    this.jieba = Jieba.withDict(dict);
    const lines = new Set<string>();
    for (const word of [...words, ...KNOWN_VARIETIES]) {
      for (const form of [word, word.replace(COUNTY_SUFFIX, '')]) {
        if (form.length >= 2 && /^[\p{L}\p{N}]+$/u.test(form)) lines.add(`${form} 200000 nz`);
      }
    }
    if (lines.size) this.jieba.loadDict(Buffer.from([...lines].join('\n')));
  }

  /** The lot's `tsvector` as PostgreSQL's text form (`'苹果':1A 'pg':2D …`), to store with `::tsvector`. */
  vectorOf(source: KeywordSource): string {
    const weights = new Map<string, Weight>();
    const add = (term: string, weight: Weight) => {
      const current = weights.get(term);
      if (term.length <= MAX_TERM_CHARS && (!current || current > weight)) weights.set(term, weight);
    };
    const addText = (text: string, weight: Weight) => {
      for (const word of this.words(text, true)) {
        add(word, weight);
        if (CJK.test(word)) {
          for (const char of word) if (CJK.test(char)) add(char, 'D');
          const initials = initialsOf(word);
          if (initials.length >= 2) add(initials, 'D');
        }
      }
    };
    addText(source.title, 'A');
    if (source.variety) {
      addText(source.variety, 'A');
      for (const whole of source.variety.match(WORD) ?? []) add(whole.toLowerCase(), 'A');
    }
    if (source.grade) addText(source.grade, 'B');
    for (const name of source.categoryNames) addText(name, 'B');
    for (const name of source.regionNames) {
      addText(name, 'C');
      const short = name.replace(COUNTY_SUFFIX, '');
      if (short.length >= 2) add(short, 'C');
    }
    let position = 0;
    return [...weights].map(([term, weight]) => `'${term}':${++position}${weight}`).join(' ');
  }

  /**
   * The words of a query, each to be matched (precise cut: 广南八宝贡米 → 广南, 八宝贡米). Latin letters are
   * lower-cased, so `PG` is pinyin initials as well as `pg`. Empty when the text has no letter or digit.
   */
  queryTerms(q: string): string[] {
    return [...new Set(this.words(q, false))].filter((term) => term.length <= MAX_TERM_CHARS);
  }

  /** A `tsquery` (text form) that every term must match: `'广南' & '贡米'`. */
  static tsquery(terms: string[]): string {
    return terms.map((term) => `'${term}'`).join(' & ');
  }

  private words(text: string, forSearch: boolean): string[] {
    const out: string[] = [];
    for (const run of text.normalize('NFKC').match(WORD) ?? []) {
      const pieces = CJK.test(run) ? (forSearch ? this.jieba.cutForSearch(run, false) : this.jieba.cut(run, false)) : [run];
      for (const piece of pieces) {
        for (const word of piece.match(WORD) ?? []) out.push(word.toLowerCase());
      }
    }
    return out;
  }
}

/** 苹果 → `pg`: the first letter of each character's pinyin (non-Chinese characters are left out). */
function initialsOf(word: string): string {
  return pinyin(word, { pattern: 'first', toneType: 'none', type: 'array', nonZh: 'removed' }).join('').toLowerCase();
}
