import { CATEGORY_TAXONOMY, perishabilityOf } from './category-taxonomy';

const byCode = new Map(CATEGORY_TAXONOMY.map((c) => [c.code, c]));
const leaves = CATEGORY_TAXONOMY.filter((c) => c.parentCode !== null);
const tops = CATEGORY_TAXONOMY.filter((c) => c.parentCode === null);

describe('the produce taxonomy', () => {
  it('has at least 60 leaves under the top-level groups the notices name', () => {
    expect(leaves.length).toBeGreaterThanOrEqual(60);
    expect(tops.map((c) => c.nameZh)).toEqual(expect.arrayContaining(['水果', '蔬菜', '肉禽蛋', '水产', '粮油', '菌菇', '茶叶', '中药材']));
  });

  it('has unique, stable, hierarchical codes', () => {
    expect(byCode.size).toBe(CATEGORY_TAXONOMY.length);
    for (const c of CATEGORY_TAXONOMY) expect(c.code).toMatch(/^[a-z]+(\.[a-z_]+)?$/);
    for (const leaf of leaves) {
      expect(byCode.get(leaf.parentCode!)?.parentCode).toBeNull();
      expect(leaf.code.startsWith(`${leaf.parentCode}.`)).toBe(true);
    }
  });

  it('puts perishability in the band its shelf life says', () => {
    for (const c of CATEGORY_TAXONOMY) {
      const band = c.typicalShelfLifeDays <= 14 ? 'high' : c.typicalShelfLifeDays <= 90 ? 'medium' : 'low';
      expect([c.code, c.perishability]).toEqual([c.code, band]);
    }
    expect([perishabilityOf(14), perishabilityOf(15), perishabilityOf(90), perishabilityOf(91)]).toEqual(['high', 'medium', 'medium', 'low']);
  });

  it('requires cold chain for every fresh meat and aquatic leaf', () => {
    const fresh = leaves.filter((c) => (c.parentCode === 'meat' || c.parentCode === 'aqua') && c.perishability === 'high');
    expect(fresh.length).toBeGreaterThanOrEqual(10);
    for (const c of fresh) expect([c.code, c.coldChainRequired]).toEqual([c.code, true]);
  });

  it('names every category in Chinese and English', () => {
    for (const c of CATEGORY_TAXONOMY) {
      expect(c.nameZh).toMatch(/^[\u4e00-\u9fff]+$/);
      expect(c.nameEn.trim().length).toBeGreaterThan(1);
    }
  });

  it.each([
    ['fruit.lychee', 'high', true],
    ['grain.rice', 'low', false],
    ['fruit.apple', 'low', false],
    ['tea.puer', 'low', false],
    ['fungi.matsutake', 'high', true],
    ['nut.chestnut', 'medium', false],
  ])('%s is %s perishability, cold chain %s', (code, perishability, coldChain) => {
    expect(byCode.get(code)).toMatchObject({ perishability, coldChainRequired: coldChain });
  });
});
