import 'reflect-metadata';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { postgresOptions } from '@chanxiao/core';
import { CategoriesModule, CategoriesService } from '@chanxiao/categories';
import { RegionsModule, RegionsService } from '@chanxiao/regions';
import { createTestEnv, type TestEnv } from '../support/test-env';

describe('RegionsService on the migrated reference data', () => {
  let env: TestEnv;
  let regions: RegionsService;
  let categories: CategoriesService;
  let close: () => Promise<void>;

  beforeAll(async () => {
    env = await createTestEnv();
    const moduleRef = await Test.createTestingModule({
      imports: [TypeOrmModule.forRoot({ ...postgresOptions(env.config), autoLoadEntities: true }), RegionsModule, CategoriesModule],
    }).compile();
    const app = await moduleRef.init();
    regions = app.get(RegionsService);
    categories = app.get(CategoriesService);
    close = () => app.close();
  });

  afterAll(async () => {
    await close?.();
    await env?.destroy();
  });

  it('knows which codes exist and their level', () => {
    expect(regions.exists('532627')).toBe(true);
    expect(regions.exists('999999')).toBe(false);
    expect(regions.level('530000')).toBe('province');
    expect(regions.level('532600')).toBe('city');
    expect(regions.level('532627')).toBe('county');
  });

  it('gives the parent chain from county to province', () => {
    expect(regions.parentChain('532627').map((r) => `${r.code} ${r.name}`)).toEqual(['532627 广南县', '532600 文山壮族苗族自治州', '530000 云南省']);
  });

  it('flags poverty and supervised counties', () => {
    expect(regions.isSupervisedCounty('532627')).toBe(true); // 广南县, 挂牌督战
    expect(regions.isPovertyCounty('620522')).toBe(true); // 秦安县
    expect(regions.isSupervisedCounty('620522')).toBe(false);
    expect(regions.isPovertyCounty('110101')).toBe(false); // 东城区, Beijing
  });

  it('still recognises a poverty county by the code it had on the 2020 list', () => {
    expect(regions.resolve('632825')).toBe('632857'); // 大柴旦行委 → 大柴旦行政委员会
    // 622900 was 临夏市 on the list, but today it is the 临夏州 prefecture's code: the current meaning wins.
    expect(regions.resolve('622900')).toBe('622900');
    expect(regions.isPovertyCounty('540422')).toBe(true); // 米林县, now 540481 米林市
    expect(regions.find('540422')?.name).toBe('米林市');
  });

  it('counts 832 poverty counties on the list, 831 current rows (冷湖 merged into 茫崖) and 52 supervised', () => {
    const counties = regions.counties();
    expect(counties.filter((c) => c.isPovertyCounty)).toHaveLength(831);
    expect(counties.filter((c) => c.isSupervisedCounty)).toHaveLength(52);
  });

  it('measures great-circle distance between county centroids', () => {
    // 广南县 (105.1°E 24.1°N) to 深圳宝安区 (113.9°E 22.6°N): about 8.2° of arc, some 915 km.
    expect(regions.distanceKm('532627', '440306')).toBeGreaterThan(880);
    expect(regions.distanceKm('532627', '440306')).toBeLessThan(950);
    expect(regions.distanceKm('532627', '532627')).toBe(0);
    expect(regions.distanceKm('532627', '999999')).toBeUndefined();
  });

  it('tells whether a code lies inside a scope', () => {
    expect(regions.isWithin('532627', '530000')).toBe(true);
    expect(regions.isWithin('532627', '532600')).toBe(true);
    expect(regions.isWithin('620522', '530000')).toBe(false);
  });

  it('serves at least 60 leaf categories, and expands a parent to its leaves', () => {
    const leaves = categories.list().filter((c) => c.parentCode !== null);
    expect(leaves.length).toBeGreaterThanOrEqual(60);
    expect(categories.find('fruit.lychee')).toMatchObject({ perishability: 'high', coldChainRequired: true });
    expect(categories.expand('fruit')).toEqual(expect.arrayContaining(['fruit', 'fruit.apple', 'fruit.lychee']));
    expect(categories.expand('fruit.apple')).toEqual(['fruit.apple']);
  });
});
