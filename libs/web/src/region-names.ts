import { reactive } from 'vue';

export interface RegionRow {
  code: string;
  name: string;
  isPovertyCounty: boolean;
  isSupervisedCounty: boolean;
}

/**
 * County names by code, for views that carry only a `regionCode` (a lot on the market): the counties of a city
 * are read once through `children(cityCode)` (the app's `GET /regions?parentCode=`), so a page of lots from a few
 * cities costs a few requests. `name(code)` is '' until it is known.
 */
export function createRegionNames(children: (parentCode: string) => Promise<RegionRow[]>) {
  const names = reactive<Record<string, string>>({});
  const asked = new Set<string>();

  function want(code: string): void {
    const city = `${code.slice(0, 4)}00`;
    if (asked.has(city)) return;
    asked.add(city);
    children(city)
      .then((rows) => rows.forEach((r) => (names[r.code] = r.name)))
      .catch(() => asked.delete(city));
  }

  return {
    name(code: string): string {
      if (!(code in names)) want(code);
      return names[code] ?? '';
    },
  };
}
