import { haversineKm } from './geo.util';
import { buildRegionData, cityStem, countyStem, RegionAliasRow, RegionRow } from './region-data';

describe('haversineKm', () => {
  it('is zero for one point and symmetric', () => {
    const a = { lat: 30, lon: 110 };
    const b = { lat: 31.5, lon: 104.2 };
    expect(haversineKm(a, a)).toBe(0);
    expect(haversineKm(a, b)).toBeCloseTo(haversineKm(b, a), 9);
  });

  it('makes one degree of a meridian 111.195 km on the mean earth radius', () => {
    expect(haversineKm({ lat: 0, lon: 100 }, { lat: 1, lon: 100 })).toBeCloseTo(111.195, 3);
  });
});

describe('name stems', () => {
  it('strips administrative and ethnic-autonomy suffixes', () => {
    expect(countyStem('积石山保安族东乡族撒拉族自治县')).toBe('积石山');
    expect(countyStem('积石山自治县')).toBe('积石山');
    expect(countyStem('大柴旦行委')).toBe(countyStem('大柴旦行政委员会'));
    expect(countyStem('赣县区')).toBe(countyStem('赣县'));
    expect(countyStem('临夏市')).toBe(countyStem('临夏县'));
    expect(cityStem('黔西南布依族苗族自治州')).toBe('黔西南');
    expect(cityStem('那曲地区')).toBe(cityStem('那曲市'));
  });
});

describe('buildRegionData', () => {
  const { regions, aliases, report } = buildRegionData();
  const byCode = new Map(regions.map((r) => [r.code, r]));
  const region = (code: string): RegionRow => {
    const row = byCode.get(code);
    if (!row) throw new Error(`no region ${code}`);
    return row;
  };
  const counties = regions.filter((r) => r.level === 3);
  const poor = counties.filter((r) => r.isPovertyCounty);
  const aliasOf = (code: string): RegionAliasRow | undefined => aliases.find((a) => a.code === code);

  describe('rows', () => {
    it('has 31 provinces, 339 cities and 2,978 counties, each code once', () => {
      const levels = regions.map((r) => r.level);
      expect({
        provinces: levels.filter((l) => l === 1).length,
        cities: levels.filter((l) => l === 2).length,
        counties: levels.filter((l) => l === 3).length,
      }).toEqual({ provinces: 31, cities: 339, counties: 2978 });
      expect(byCode.size).toBe(regions.length);
    });

    it('pads codes to six digits and links every row to a parent one level up', () => {
      const countiesOfProvinces = new Set(['441900', '442000', '460400']);
      const bad = regions.filter((r) => {
        if (!/^\d{6}$/.test(r.code) || r.provinceCode !== `${r.code.slice(0, 2)}0000`) return true;
        if (r.level === 1) return !r.code.endsWith('0000') || r.parentCode !== null;
        const parent = byCode.get(r.parentCode ?? '');
        const parentLevel = countiesOfProvinces.has(r.code) ? 1 : r.level - 1;
        return !parent || parent.level !== parentLevel || !r.code.startsWith(parent.code.replace(/0+$/, ''));
      });
      expect(bad).toEqual([]);
    });

    it('keeps the municipalities\' pseudo-cities as cities', () => {
      expect(region('110100')).toMatchObject({ name: '市辖区', level: 2, parentCode: '110000' });
      expect(region('500200')).toMatchObject({ name: '县', level: 2, parentCode: '500000' });
      expect(region('110101')).toMatchObject({ name: '东城区', level: 3, parentCode: '110100' });
    });

    it('keeps a city without counties (东莞) as one county under its province', () => {
      expect(region('441900')).toMatchObject({ name: '东莞市', level: 3, parentCode: '440000' });
      expect(region('620201')).toMatchObject({ name: '嘉峪关市', level: 3, parentCode: '620200' });
    });
  });

  describe('centroids', () => {
    it('puts every row at a finite point inside China\'s bounding box', () => {
      const inside = (r: RegionRow): boolean => r.lat >= 18 && r.lat <= 54 && r.lon >= 73 && r.lon <= 135;
      expect(regions.filter((r) => !Number.isFinite(r.lat) || !Number.isFinite(r.lon) || !inside(r))).toEqual([]);
    });

    it('takes 2,593 county centroids by code and falls back for the rest', () => {
      const tally = { code: 0, alias_code: 0, name: 0, city: 0, province: 0 };
      for (const r of counties) tally[r.centroidSource] += 1;
      // 鄂州's three districts (empty rows) and 三沙's three (no rows) have no county with a point in their city.
      expect(tally).toEqual({ code: 2593, alias_code: 0, name: 179, city: 200, province: 6 });
      expect(region('420704')).toMatchObject({ name: '鄂城区', centroidSource: 'province' });
      expect(region('460322')).toMatchObject({ name: '南沙群岛', centroidSource: 'province' });
    });

    it('says how the 832 poverty counties got their centroids', () => {
      // 756 have a centroid under their current code (754 listed codes, plus 532601 and 622901 reached by alias; the
      // listed 630104 is 西宁's 城西区 and does not count). 65 renamed ones find their pre-2015 row by name stem
      // (平泉县 → 平泉市, most of 西藏's recoded counties). 11 fall back to their city: the renames whose names
      // changed altogether (云州区, 广信区, 开州区, 盘州市, 卡若区, 巴宜区, 色尼区), 平安区 whose old row is empty,
      // and 海西's 大柴旦 and 茫崖 (counted twice, for 茫崖行委 and 冷湖行委).
      expect(report.centroid).toEqual({ code: 756, alias_code: 0, name: 65, city: 11, province: 0 });
      expect(region('130881')).toMatchObject({ name: '平泉市', centroidSource: 'name' });
      expect(region('140215')).toMatchObject({ name: '云州区', centroidSource: 'city' });
    });

    it('gives cities and provinces the mean of their counties', () => {
      const mean = (rows: RegionRow[], key: 'lat' | 'lon'): number =>
        rows.reduce((sum, r) => sum + r[key], 0) / rows.length;
      const kunming = counties.filter((r) => r.parentCode === '530100');
      expect(region('530100')).toMatchObject({ centroidSource: 'city' });
      expect(region('530100').lat).toBeCloseTo(mean(kunming, 'lat'), 9);
      expect(region('530100').lon).toBeCloseTo(mean(kunming, 'lon'), 9);
      expect(region('530000')).toMatchObject({ centroidSource: 'province' });
    });

    it('puts Beijing (东城区) about 2,090 km from Kunming (五华区)', () => {
      expect(Math.abs(haversineKm(region('110101'), region('530102')) - 2090)).toBeLessThan(5);
    });
  });

  describe('poverty counties', () => {
    it('resolves all 832 listed counties onto current codes', () => {
      expect(report).toMatchObject({ total: 832, byCode: 787, renamedSameCode: 39, byAlias: 6, unresolved: [] });
      expect(report.byCode + report.renamedSameCode + report.byAlias).toBe(832);
    });

    it('flags 831 current counties, 52 of them supervised: 冷湖 and 茫崖 merged into one', () => {
      expect(poor).toHaveLength(831);
      expect(counties.filter((r) => r.isSupervisedCounty)).toHaveLength(52);
      expect(regions.filter((r) => r.isSupervisedCounty && !r.isPovertyCounty)).toEqual([]);
      expect(regions.filter((r) => r.level !== 3 && r.isPovertyCounty)).toEqual([]);
      expect(poor.every((r) => r.povertyExitYear !== null && r.povertyExitYear >= 2016 && r.povertyExitYear <= 2020))
        .toBe(true);
      expect(counties.filter((r) => !r.isPovertyCounty && r.povertyExitYear !== null)).toEqual([]);
      // Every county under 挂牌督战 left the list in 2020.
      expect(counties.filter((r) => r.isSupervisedCounty && r.povertyExitYear !== 2020)).toEqual([]);
    });

    it('keeps the code through a 县 → 区/市 rename', () => {
      expect(region('130881')).toMatchObject({ name: '平泉市', isPovertyCounty: true });
      expect(region('140215')).toMatchObject({ name: '云州区', isPovertyCounty: true });
      expect(region('540602')).toMatchObject({ name: '色尼区', isPovertyCounty: true });
      expect(region('420304')).toMatchObject({ name: '郧阳区', isPovertyCounty: true });
    });

    it('aliases the listed codes that moved', () => {
      expect(aliases.map((a) => [a.code, a.name, a.currentCode, region(a.currentCode).name])).toEqual([
        ['532600', '文山市', '532601', '文山市'],
        ['540530', '错那县', '540581', '错那市'],
        ['540422', '米林县', '540481', '米林市'],
        ['622900', '临夏市', '622901', '临夏市'],
        ['632825', '大柴旦行委', '632857', '大柴旦行政委员会'],
        ['630104', '冷湖行委', '632803', '茫崖市'],
      ]);
      for (const a of aliases) expect(region(a.currentCode).isPovertyCounty).toBe(true);
    });

    it('keeps 临夏市 and 临夏县 apart', () => {
      expect(region('622901')).toMatchObject({ name: '临夏市', isPovertyCounty: true });
      expect(region('622921')).toMatchObject({ name: '临夏县', isPovertyCounty: true });
      expect(region('622900')).toMatchObject({ level: 2, isPovertyCounty: false });
    });

    it('does not take 630104 城西区 for 冷湖行委, which merged into 茫崖市', () => {
      expect(region('630104')).toMatchObject({ name: '城西区', parentCode: '630100', isPovertyCounty: false });
      expect(aliasOf('630104')).toMatchObject({ currentCode: '632803' });
      expect(aliasOf('630104')?.reason).toContain('merged into 632803 茫崖市');
      expect(aliasOf('630104')?.reason).toContain('630104 itself is 城西区');
      expect(region('632803')).toMatchObject({ name: '茫崖市', isPovertyCounty: true, povertyExitYear: 2019 });
    });
  });
});
