import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DomainError } from '@chanxiao/core';
import type { DataSource } from 'typeorm';
import { haversineKm } from './geo.util';
import { Region, RegionAlias } from './region.entity';

export type RegionLevelName = 'province' | 'city' | 'county';
const LEVEL_NAMES: Record<1 | 2 | 3, RegionLevelName> = { 1: 'province', 2: 'city', 3: 'county' };

/** What callers see of a region. */
export interface RegionInfo {
  code: string;
  name: string;
  level: RegionLevelName;
  parentCode: string | null;
  isPovertyCounty: boolean;
  isSupervisedCounty: boolean;
  centroid: { lat: number; lon: number; source: string };
}

/**
 * Answers questions about GB/T 2260 regions. The table is small (about 3,300 rows) and changes only by
 * migration, so it is read once into memory at start-up and every answer is a map lookup.
 * Older codes of a county (see `region_aliases`) resolve to the current one.
 */
@Injectable()
export class RegionsService implements OnModuleInit {
  private byCode = new Map<string, Region>();
  private aliases = new Map<string, string>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async onModuleInit(): Promise<void> {
    const [regions, aliases] = await Promise.all([
      this.dataSource.getRepository(Region).find(),
      this.dataSource.getRepository(RegionAlias).find(),
    ]);
    this.byCode = new Map(regions.map((r) => [r.code, r]));
    this.aliases = new Map(aliases.map((a) => [a.code, a.currentCode]));
  }

  /** The current code for `code` (itself, or what an old code became); undefined if unknown. */
  resolve(code: string): string | undefined {
    if (this.byCode.has(code)) return code;
    return this.aliases.get(code);
  }

  exists(code: string): boolean {
    return this.resolve(code) !== undefined;
  }

  find(code: string): RegionInfo | undefined {
    const current = this.resolve(code);
    const region = current ? this.byCode.get(current) : undefined;
    return region ? toInfo(region) : undefined;
  }

  /** Like {@link find}, but an unknown code is a 400 naming `field`. */
  get(code: string, field = 'regionCode'): RegionInfo {
    const info = this.find(code);
    if (!info) throw DomainError.validation('region.unknown', [{ field, message: `${code} is not a GB/T 2260 region code` }]);
    return info;
  }

  level(code: string): RegionLevelName | undefined {
    return this.find(code)?.level;
  }

  /** Every region's name (for a segmenter's dictionary). */
  names(): string[] {
    return [...this.byCode.values()].map((r) => r.name);
  }

  /** The region and its ancestors, county first, province last. */
  parentChain(code: string): RegionInfo[] {
    const chain: RegionInfo[] = [];
    for (let info = this.find(code); info; info = info.parentCode ? this.find(info.parentCode) : undefined) chain.push(info);
    return chain;
  }

  isPovertyCounty(code: string): boolean {
    return this.find(code)?.isPovertyCounty ?? false;
  }

  isSupervisedCounty(code: string): boolean {
    return this.find(code)?.isSupervisedCounty ?? false;
  }

  centroid(code: string): { lat: number; lon: number } | undefined {
    return this.find(code)?.centroid;
  }

  /** Great-circle distance between two regions' centroids, in km. */
  distanceKm(from: string, to: string): number | undefined {
    const a = this.centroid(from);
    const b = this.centroid(to);
    return a && b ? haversineKm(a, b) : undefined;
  }

  /** True when `code` is `scope` or lies inside it (a province scope covers its cities and counties). */
  isWithin(code: string, scope: string): boolean {
    return this.parentChain(code).some((r) => r.code === this.resolve(scope));
  }

  /** The provinces (no `parentCode`), or the regions directly under `parentCode`, by code. */
  children(parentCode: string | null): RegionInfo[] {
    const parent = parentCode === null ? null : this.resolve(parentCode);
    return [...this.byCode.values()].filter((r) => r.parentCode === parent).sort((a, b) => a.code.localeCompare(b.code)).map(toInfo);
  }

  counties(): RegionInfo[] {
    return [...this.byCode.values()].filter((r) => r.level === 3).map(toInfo);
  }
}

function toInfo(region: Region): RegionInfo {
  return {
    code: region.code,
    name: region.name,
    level: LEVEL_NAMES[region.level],
    parentCode: region.parentCode,
    isPovertyCounty: region.isPovertyCounty,
    isSupervisedCounty: region.isSupervisedCounty,
    centroid: { lat: region.lat, lon: region.lon, source: region.centroidSource },
  };
}
