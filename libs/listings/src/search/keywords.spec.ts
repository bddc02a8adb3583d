import { KeywordSegmenter } from './keywords';

describe('KeywordSegmenter', () => {
  const segmenter = new KeywordSegmenter(['苹果', '水果', '秦安县', '天水市', '甘肃省', '澜沧拉祜族自治县']);
  const terms = (vector: string) => new Map([...vector.matchAll(/'([^']+)':\d+([ABCD])/g)].map((m) => [m[1], m[2]]));

  it('cuts a title into words with the varieties whole, and weights title, category, county', () => {
    const vector = terms(segmenter.vectorOf({ title: '秦安花牛苹果 80mm+ 一级', variety: '花牛', categoryNames: ['苹果', '水果'], regionNames: ['秦安县', '天水市', '甘肃省'] }));
    expect(vector.get('花牛')).toBe('A');
    expect(vector.get('苹果')).toBe('A');
    expect(vector.get('80mm')).toBe('A');
    expect(vector.get('水果')).toBe('B');
    expect(vector.get('秦安')).toBe('A'); // in the title, and the county's short name
    expect(vector.get('秦安县')).toBe('C');
    expect(vector.get('天水')).toBe('C');
    expect(vector.get('pg')).toBe('D');
    expect(vector.get('牛')).toBe('D');
    expect(vector.has('花牛苹果')).toBe(false);
  });

  it('cuts a query precisely, lower-cases letters, and drops punctuation', () => {
    expect(segmenter.queryTerms('广南八宝贡米')).toEqual(['广南', '八宝贡米']);
    expect(segmenter.queryTerms(' 花牛苹果，PG ')).toEqual(['花牛', '苹果', 'pg']);
    expect(segmenter.queryTerms('！？…')).toEqual([]);
    expect(segmenter.queryTerms('澜沧')).toEqual(['澜沧']);
    expect(KeywordSegmenter.tsquery(['广南', '贡米'])).toBe("'广南' & '贡米'");
  });

  it('writes a vector PostgreSQL reads back: quoted lexemes, positions, weights', () => {
    expect(segmenter.vectorOf({ title: '苹果', variety: null, categoryNames: [], regionNames: [] })).toBe("'苹果':1A '苹':2D '果':3D 'pg':4D");
  });
});
