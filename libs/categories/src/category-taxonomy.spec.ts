import { CATEGORY_TAXONOMY, type CategorySeed, perishabilityOf } from './category-taxonomy';

const byCode = new Map(CATEGORY_TAXONOMY.map((c) => [c.code, c]));
const leaves = CATEGORY_TAXONOMY.filter((c) => c.parentCode !== null);
const tops = CATEGORY_TAXONOMY.filter((c) => c.parentCode === null);
const leavesOf = (code: string): CategorySeed[] => leaves.filter((c) => c.parentCode === code);

/** The bands as SPEC'd, written out independently of the implementation. */
function expectedBand(days: number): string {
  if (days <= 14) return 'high';
  if (days <= 90) return 'medium';
  return 'low';
}

describe('the produce taxonomy', () => {
  it('has at least 60 leaves under the top-level groups the notices name', () => {
    expect(leaves.length).toBeGreaterThanOrEqual(60);
    expect(tops.map((c) => c.nameZh)).toEqual(
      expect.arrayContaining(['水果', '蔬菜', '肉禽蛋', '水产', '粮油', '菌菇', '茶叶', '中药材', '干果坚果', '杂粮豆类']),
    );
    for (const top of tops) expect([top.code, leavesOf(top.code).length > 0]).toEqual([top.code, true]);
  });

  it('has unique, lowercase, hierarchical codes', () => {
    expect(byCode.size).toBe(CATEGORY_TAXONOMY.length);
    for (const c of CATEGORY_TAXONOMY) expect(c.code).toMatch(/^[a-z]+(\.[a-z_]+)?$/);
    for (const top of tops) expect(top.code).not.toContain('.');
  });

  it('hangs every leaf under an existing top-level category whose code prefixes its own', () => {
    for (const leaf of leaves) {
      const parent = byCode.get(leaf.parentCode ?? '');
      expect([leaf.code, parent?.parentCode]).toEqual([leaf.code, null]);
      expect(leaf.code.startsWith(`${leaf.parentCode}.`)).toBe(true);
    }
  });

  it('lists each top-level category before its leaves, so the migration can insert in order', () => {
    const index = new Map(CATEGORY_TAXONOMY.map((c, i) => [c.code, i]));
    for (const leaf of leaves) expect(index.get(leaf.code)!).toBeGreaterThan(index.get(leaf.parentCode!)!);
  });

  it('gives every category a positive whole number of shelf-life days', () => {
    for (const c of CATEGORY_TAXONOMY) {
      expect([c.code, Number.isInteger(c.typicalShelfLifeDays) && c.typicalShelfLifeDays > 0]).toEqual([c.code, true]);
    }
  });

  it('puts perishability in the band its shelf life says (high ≤ 14 days, medium 15–90, low > 90)', () => {
    for (const c of CATEGORY_TAXONOMY) {
      expect([c.code, c.perishability]).toEqual([c.code, expectedBand(c.typicalShelfLifeDays)]);
    }
    expect([1, 14, 15, 90, 91, 3650].map(perishabilityOf)).toEqual(['high', 'high', 'medium', 'medium', 'low', 'low']);
  });

  it('uses all three bands among the leaves', () => {
    expect(new Set(leaves.map((c) => c.perishability))).toEqual(new Set(['high', 'medium', 'low']));
  });

  it('requires cold chain for every fresh meat, aquatic and mushroom leaf', () => {
    const fresh = leaves.filter((c) => ['meat', 'aqua', 'fungi'].includes(c.parentCode!) && c.perishability === 'high');
    expect(fresh.length).toBeGreaterThanOrEqual(15);
    for (const c of fresh) expect([c.code, c.coldChainRequired]).toEqual([c.code, true]);
  });

  it('never requires cold chain for grain, tea, herbs, nuts or spices', () => {
    const dry = leaves.filter((c) => ['grain', 'coarse', 'tea', 'herb', 'nut', 'spice'].includes(c.parentCode!));
    expect(dry.length).toBeGreaterThanOrEqual(30);
    for (const c of dry) expect([c.code, c.coldChainRequired]).toEqual([c.code, false]);
  });

  it('gives a top-level category values that occur among its own leaves', () => {
    for (const top of tops) {
      const children = leavesOf(top.code);
      const days = children.map((c) => c.typicalShelfLifeDays);
      expect([top.code, top.typicalShelfLifeDays >= Math.min(...days)]).toEqual([top.code, true]);
      expect([top.code, top.typicalShelfLifeDays <= Math.max(...days)]).toEqual([top.code, true]);
      expect(children.map((c) => c.perishability)).toContain(top.perishability);
      expect(children.map((c) => c.coldChainRequired)).toContain(top.coldChainRequired);
    }
  });

  it('names every category in Chinese and English, each Chinese name once', () => {
    for (const c of CATEGORY_TAXONOMY) {
      expect(c.nameZh).toMatch(/^[\u4e00-\u9fff]+$/);
      expect(c.nameEn.trim().length).toBeGreaterThan(1);
    }
    expect(new Set(CATEGORY_TAXONOMY.map((c) => c.nameZh)).size).toBe(CATEGORY_TAXONOMY.length);
  });

  it.each([
    ['fruit.lychee', '荔枝', 'high', true],
    ['fruit.apple', '苹果', 'low', false],
    ['fruit.kiwi', '猕猴桃', 'medium', false],
    ['grain.rice', '大米', 'low', false],
    ['tea.puer', '普洱茶', 'low', false],
    ['fungi.matsutake', '松茸', 'high', true],
    ['fungi.wood_ear', '木耳', 'low', false],
    ['meat.yak', '牦牛肉', 'high', true],
    ['meat.egg', '鸡蛋', 'medium', false],
    ['aqua.crayfish', '小龙虾', 'high', true],
    ['nut.chestnut', '板栗', 'medium', false],
    ['herb.sanqi', '三七', 'low', false],
    ['bee.honey', '蜂蜜', 'low', false],
  ])('%s (%s) is %s perishability, cold chain %s', (code, nameZh, perishability, coldChain) => {
    expect(byCode.get(code)).toMatchObject({ nameZh, perishability, coldChainRequired: coldChain });
  });

  it('treats the fruit group by its most perishable common case and grain as shelf-stable', () => {
    expect(byCode.get('fruit')).toMatchObject({ parentCode: null, perishability: 'high', coldChainRequired: true });
    expect(byCode.get('grain')).toMatchObject({ parentCode: null, perishability: 'low', coldChainRequired: false });
  });
});
