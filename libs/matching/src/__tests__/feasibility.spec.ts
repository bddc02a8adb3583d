import { haversineKm } from '@chanxiao/regions/geo.util';
import { categoryCovers, DEFAULT_TRANSIT_MODEL, feasibility, type FeasibilityResult, transitDaysFor } from '@chanxiao/matching';
import { demand, lot, region, TODAY } from './fixtures';

function reasonOf(result: FeasibilityResult): string | null {
  return result.ok ? null : result.reason;
}

describe('feasibility', () => {
  it('accepts the baseline pair and reports quantity, distance and arrival', () => {
    const result = feasibility(lot(), demand(), TODAY);
    expect(result).toMatchObject({ ok: true, quantityGrams: 2_000_000, transitDays: 2, arrivesOn: '2026-11-25' });
    if (result.ok) {
      expect(result.distanceKm).toBeCloseTo(100.1, 1);
      expect(result.roadKm).toBeCloseTo(result.distanceKm * 1.3, 9);
    }
  });

  describe('category', () => {
    it('accepts the same leaf', () => {
      expect(feasibility(lot(), demand({ categoryCode: 'fruit.citrus' }), TODAY).ok).toBe(true);
    });
    it('accepts a demand for the group covering the lot\'s leaf', () => {
      expect(feasibility(lot({ categoryCode: 'fruit.lychee' }), demand({ categoryCode: 'fruit' }), TODAY).ok).toBe(true);
      expect(categoryCovers('fruit', { categoryCode: 'fruit.apple', parentCategoryCode: 'fruit' })).toBe(true);
    });
    it('refuses another leaf of the same group', () => {
      expect(reasonOf(feasibility(lot({ categoryCode: 'fruit.apple' }), demand({ categoryCode: 'fruit.citrus' }), TODAY))).toBe('category');
    });
    it('refuses another group', () => {
      expect(reasonOf(feasibility(lot({ categoryCode: 'veg.potato', parentCategoryCode: 'veg' }), demand({ categoryCode: 'fruit' }), TODAY))).toBe('category');
    });
    it('refuses a lot whose code merely starts like the demand\'s (no prefix matching)', () => {
      expect(reasonOf(feasibility(lot({ categoryCode: 'fruitx.a', parentCategoryCode: 'fruitx' }), demand({ categoryCode: 'fruit' }), TODAY))).toBe('category');
    });
    it('does not let a leaf demand cover the group code', () => {
      expect(categoryCovers('fruit.citrus', { categoryCode: 'fruit', parentCategoryCode: null })).toBe(false);
    });
  });

  describe('price', () => {
    it('accepts a price equal to the ceiling', () => {
      expect(feasibility(lot({ unitPriceFen: 800 }), demand({ maxUnitPriceFen: 800 }), TODAY).ok).toBe(true);
    });
    it('refuses a price one fen over the ceiling', () => {
      const result = feasibility(lot({ unitPriceFen: 801 }), demand({ maxUnitPriceFen: 800 }), TODAY);
      expect(result).toMatchObject({ ok: false, reason: 'price' });
      if (!result.ok) expect(result.detail).toContain('801');
    });
  });

  describe('quantity', () => {
    it('accepts when the demand takes exactly the minimum order', () => {
      expect(feasibility(lot({ minOrderGrams: 2_000_000 }), demand({ remainingGrams: 2_000_000 }), TODAY)).toMatchObject({ ok: true, quantityGrams: 2_000_000 });
    });
    it('refuses when the demand takes less than the minimum order', () => {
      expect(reasonOf(feasibility(lot({ minOrderGrams: 2_000_001 }), demand({ remainingGrams: 2_000_000 }), TODAY))).toBe('quantity');
    });
    it('accepts a remainder below the minimum order when the demand takes all of it', () => {
      const result = feasibility(lot({ availableGrams: 300_000, minOrderGrams: 500_000 }), demand({ remainingGrams: 2_000_000 }), TODAY);
      expect(result).toMatchObject({ ok: true, quantityGrams: 300_000 });
    });
    it('refuses a remainder below the minimum order when the demand takes only part of it', () => {
      expect(reasonOf(feasibility(lot({ availableGrams: 300_000, minOrderGrams: 500_000 }), demand({ remainingGrams: 200_000 }), TODAY))).toBe('quantity');
    });
    it('refuses an empty lot or a filled demand', () => {
      expect(reasonOf(feasibility(lot({ availableGrams: 0 }), demand(), TODAY))).toBe('quantity');
      expect(reasonOf(feasibility(lot(), demand({ remainingGrams: 0 }), TODAY))).toBe('quantity');
    });
  });

  describe('cold chain', () => {
    it('accepts a cold-chain lot for a cold-chain-capable buyer', () => {
      expect(feasibility(lot({ coldChain: true }), demand({ coldChainCapable: true }), TODAY).ok).toBe(true);
    });
    it('accepts an ambient lot for any buyer', () => {
      expect(feasibility(lot({ coldChain: false }), demand({ coldChainCapable: true }), TODAY).ok).toBe(true);
      expect(feasibility(lot({ coldChain: false }), demand({ coldChainCapable: false }), TODAY).ok).toBe(true);
    });
    it('refuses a cold-chain lot for a buyer without cold chain', () => {
      expect(reasonOf(feasibility(lot({ coldChain: true }), demand({ coldChainCapable: false }), TODAY))).toBe('cold_chain');
    });
  });

  describe('arrival (baseline: 2 transit days, arrives 2026-11-25)', () => {
    it('accepts arrival on the deliver-by day and refuses it a day later', () => {
      expect(feasibility(lot(), demand({ deliverBy: '2026-11-25' }), TODAY).ok).toBe(true);
      const result = feasibility(lot(), demand({ deliverBy: '2026-11-24' }), TODAY);
      expect(result).toMatchObject({ ok: false, reason: 'deadline' });
      if (!result.ok) expect(result.detail).toContain('2026-11-25');
    });
    it('accepts arrival on the best-before day and refuses it a day later', () => {
      expect(feasibility(lot({ bestBefore: '2026-11-25' }), demand(), TODAY).ok).toBe(true);
      expect(reasonOf(feasibility(lot({ bestBefore: '2026-11-24' }), demand(), TODAY))).toBe('shelf_life');
    });
    it('refuses a lot that has already expired', () => {
      expect(reasonOf(feasibility(lot({ bestBefore: '2026-11-22' }), demand(), TODAY))).toBe('shelf_life');
    });
    it('demands the configured shelf life left on arrival', () => {
      const model = { ...DEFAULT_TRANSIT_MODEL, minShelfDaysOnArrival: 3 };
      expect(feasibility(lot({ bestBefore: '2026-11-28' }), demand(), TODAY, model).ok).toBe(true);
      expect(reasonOf(feasibility(lot({ bestBefore: '2026-11-27' }), demand(), TODAY, model))).toBe('shelf_life');
    });
    it('uses the transit model from the config object', () => {
      const slow = { ...DEFAULT_TRANSIT_MODEL, handlingDays: 3 };
      expect(feasibility(lot(), demand(), TODAY, slow)).toMatchObject({ ok: true, transitDays: 4, arrivesOn: '2026-11-27' });
    });
  });

  it('reports the first rule broken, in the documented order', () => {
    const everythingWrong = lot({ categoryCode: 'veg.potato', parentCategoryCode: 'veg', unitPriceFen: 9999, coldChain: true, bestBefore: '2026-01-01' });
    expect(reasonOf(feasibility(everythingWrong, demand({ remainingGrams: 0 }), TODAY))).toBe('category');
    expect(reasonOf(feasibility({ ...everythingWrong, categoryCode: 'fruit.citrus', parentCategoryCode: 'fruit' }, demand({ remainingGrams: 0 }), TODAY))).toBe('price');
  });
});

describe('transit model', () => {
  it('is handling days plus whole days of road driving', () => {
    const straight = { ...DEFAULT_TRANSIT_MODEL, roadFactor: 1 };
    expect(transitDaysFor(0, straight)).toBe(1);
    expect(transitDaysFor(1, straight)).toBe(2);
    expect(transitDaysFor(500, straight)).toBe(2);
    expect(transitDaysFor(500.1, straight)).toBe(3);
    expect(transitDaysFor(1000, straight)).toBe(3);
  });

  it('applies the road factor to the great-circle distance', () => {
    expect(transitDaysFor(384, DEFAULT_TRANSIT_MODEL)).toBe(2); // 499.2 road km
    expect(transitDaysFor(385, DEFAULT_TRANSIT_MODEL)).toBe(3); // 500.5 road km
  });

  it('on real county centroids: 广南县 (532627, 挂牌督战) to 深圳市 (440300) is ~936 km, 4 days', () => {
    const guangnan = region('532627');
    const shenzhen = region('440300');
    expect(guangnan).toMatchObject({ name: '广南县', isSupervisedCounty: true });
    expect(guangnan.lat).toBeCloseTo(24.05, 2);
    expect(guangnan.lon).toBeCloseTo(105.05, 2);
    const km = haversineKm(guangnan, shenzhen);
    expect(km).toBeCloseTo(935.9, 1);
    // 935.9 × 1.3 = 1216.6 road km → ceil(1216.6 / 500) = 3 driving days + 1 handling day.
    const result = feasibility(
      lot({ ...guangnan, isPovertyCounty: true, isSupervisedCounty: true }),
      demand({ lat: shenzhen.lat, lon: shenzhen.lon }),
      TODAY,
    );
    expect(result).toMatchObject({ ok: true, transitDays: 4, arrivesOn: '2026-11-27' });
    if (result.ok) expect(result.roadKm).toBeCloseTo(1216.6, 1);
  });

  it('on real county centroids: 广南县 to 昆明 五华区 (530102) is ~262 km, 1 day on the road', () => {
    const km = haversineKm(region('532627'), region('530102'));
    expect(km).toBeCloseTo(262.1, 1);
    expect(transitDaysFor(km)).toBe(2);
  });
});
