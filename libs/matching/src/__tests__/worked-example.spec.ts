import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_MATCH_WEIGHTS, DEFAULT_TRANSIT_MODEL, type DemandFacts, feasibility, type LotFacts, score, scoreTerms } from '@chanxiao/matching';
import { region } from './fixtures';

/**
 * The worked example of docs/matching.md, computed from the code and the reference county data. The test renders
 * the doc's tables and requires the doc to contain them verbatim, so the two cannot drift apart.
 */
const TODAY = '2026-11-23';

function at(code: string): Pick<LotFacts, 'lat' | 'lon' | 'isPovertyCounty' | 'isSupervisedCounty'> {
  const r = region(code);
  return { lat: r.lat, lon: r.lon, isPovertyCounty: r.isPovertyCounty, isSupervisedCounty: r.isSupervisedCounty };
}

const shenzhen = region('440300');
const DEMAND: DemandFacts = {
  id: 'D', categoryCode: 'fruit', remainingGrams: 20_000_000, maxUnitPriceFen: 800, deliverBy: '2026-11-30',
  coldChainCapable: true, preferPoverty: false, lat: shenzhen.lat, lon: shenzhen.lon,
};

const LOTS: { county: string; lot: LotFacts }[] = [
  {
    county: '广南县 532627',
    lot: { id: 'A', categoryCode: 'fruit.citrus', parentCategoryCode: 'fruit', availableGrams: 12_000_000, minOrderGrams: 1_000_000, unitPriceFen: 520, bestBefore: '2026-12-28', coldChain: false, stalled: false, ...at('532627') },
  },
  {
    county: '田东县 451022',
    lot: { id: 'B', categoryCode: 'fruit.mango', parentCategoryCode: 'fruit', availableGrams: 8_000_000, minOrderGrams: 500_000, unitPriceFen: 600, bestBefore: '2026-12-01', coldChain: false, stalled: true, ...at('451022') },
  },
  {
    county: '从化区 440117',
    lot: { id: 'C', categoryCode: 'fruit.lychee', parentCategoryCode: 'fruit', availableGrams: 5_000_000, minOrderGrams: 200_000, unitPriceFen: 700, bestBefore: '2026-11-27', coldChain: true, stalled: true, ...at('440117') },
  },
];

const f = (x: number, digits: number): string => x.toFixed(digits);

function renderTables(): string[] {
  const tier = (l: LotFacts): string => (l.isSupervisedCounty ? '挂牌督战' : l.isPovertyCounty ? 'poverty' : 'other');
  const facts = [
    '| lot | county | tier | category | fen/kg | best before | stalled | km | transit days | arrives |',
    '|---|---|---|---|---:|---|---|---:|---:|---|',
    ...LOTS.map(({ county, lot }) => {
      const r = feasibility(lot, DEMAND, TODAY);
      if (!r.ok) throw new Error(`worked example lot ${lot.id} is infeasible: ${r.detail}`);
      return `| ${lot.id} | ${county} | ${tier(lot)} | ${lot.categoryCode} | ${lot.unitPriceFen} | ${lot.bestBefore} | ${lot.stalled ? 'yes' : 'no'} | ${f(r.distanceKm, 1)} | ${r.transitDays} | ${r.arrivesOn} |`;
    }),
  ];
  const scores = [
    '| lot | county | stalled | shelf life | distance | headroom | score | score, preferPoverty |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...LOTS.map(({ lot }) => {
      const t = scoreTerms(lot, DEMAND, TODAY);
      const preferred = score(lot, { ...DEMAND, preferPoverty: true }, TODAY);
      return `| ${lot.id} | ${f(t.county, 4)} | ${f(t.stalled, 4)} | ${f(t.shelfLife, 4)} | ${f(t.distance, 4)} | ${f(t.priceHeadroom, 4)} | ${f(score(lot, DEMAND, TODAY), 4)} | ${f(preferred, 4)} |`;
    }),
  ];
  return [`${facts.join('\n')}\n`, `${scores.join('\n')}\n`];
}

describe('worked example (docs/matching.md)', () => {
  const doc = fs.readFileSync(path.resolve(__dirname, '../../../../docs/matching.md'), 'utf8');

  it('states the default weights and transit parameters the code uses', () => {
    for (const [name, value] of [...Object.entries(DEFAULT_MATCH_WEIGHTS), ...Object.entries(DEFAULT_TRANSIT_MODEL)]) {
      expect(doc).toContain(`| \`${name}\` | ${value} |`);
    }
  });

  it('uses the counties it says it uses', () => {
    expect(region('532627')).toMatchObject({ name: '广南县', isSupervisedCounty: true });
    expect(region('451022')).toMatchObject({ name: '田东县', isPovertyCounty: true, isSupervisedCounty: false });
    expect(region('440117')).toMatchObject({ name: '从化区', isPovertyCounty: false });
    expect(shenzhen.name).toBe('深圳市');
  });

  it('matches the tables in the doc', () => {
    for (const table of renderTables()) {
      if (!doc.includes(table)) throw new Error(`docs/matching.md does not contain this table as computed now:\n\n${table}`);
    }
  });

  it('ranks the lots as the doc says: A > B > C, and preferPoverty widens the gaps', () => {
    const ranked = (d: DemandFacts): string => [...LOTS].sort((x, y) => score(y.lot, d, TODAY) - score(x.lot, d, TODAY)).map((x) => x.lot.id).join(' > ');
    expect(ranked(DEMAND)).toBe('A > B > C');
    expect(ranked({ ...DEMAND, preferPoverty: true })).toBe('A > B > C');
    const [a, b] = LOTS.map(({ lot }) => score(lot, DEMAND, TODAY));
    const [pa, pb] = LOTS.map(({ lot }) => score(lot, { ...DEMAND, preferPoverty: true }, TODAY));
    expect(f(a - b, 2)).toBe('0.84');
    expect(f(pa - pb, 2)).toBe('3.84');
    expect(doc).toContain('comes within\n0.84 of the supervised county\'s citrus; with it the gap is 3.84.');
  });
});
