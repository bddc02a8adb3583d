import { Injectable } from '@nestjs/common';
import { DomainError, type Principal } from '@chanxiao/core';
import { type RegionInfo, RegionsService } from '@chanxiao/regions';

/** A county-level division of a scope, with the prefecture-level city it belongs to (null under a province directly). */
export interface ScopeCounty {
  code: string;
  name: string;
  cityName: string | null;
  isPovertyCounty: boolean;
  isSupervisedCounty: boolean;
}

/** The region a dashboard or report covers, and the county-level divisions inside it. */
export interface Scope {
  code: string;
  name: string;
  level: RegionInfo['level'];
  /** Every county-level division in the scope (a county scope has just itself). Lots are always in one. */
  counties: ScopeCounty[];
  countyCodes: string[];
}

/**
 * Agency staff see their own region and what lies inside it (a province sees its cities and counties). A region
 * outside the caller's scope, or one that does not exist, answers 404: it is not theirs to know about.
 */
@Injectable()
export class RegionScopeService {
  private readonly cache = new Map<string, Scope>();

  constructor(private readonly regions: RegionsService) {}

  /** The scope a request asks for: `regionCode` if given (within the caller's region), else the caller's region. */
  forPrincipal(principal: Principal, regionCode?: string): Scope {
    const own = principal.regionCode;
    const wanted = regionCode ?? own;
    if (!own || !wanted || !this.regions.exists(wanted) || !this.regions.isWithin(wanted, own)) {
      throw new DomainError('not_found', 'region.not_found', `region ${wanted ?? '(none)'} not found`);
    }
    return this.of(wanted);
  }

  /** The scope of a known region code (the scheduled job uses it for every province). */
  of(code: string): Scope {
    const current = this.regions.resolve(code);
    const region = current ? this.regions.find(current) : undefined;
    if (!region) throw new DomainError('not_found', 'region.not_found', `region ${code} not found`);
    let scope = this.cache.get(region.code);
    if (!scope) {
      const counties = this.regions
        .counties()
        .filter((c) => this.regions.isWithin(c.code, region.code))
        .sort((a, b) => (a.code < b.code ? -1 : 1))
        .map((c) => {
          const parent = c.parentCode ? this.regions.find(c.parentCode) : undefined;
          return { code: c.code, name: c.name, cityName: parent?.level === 'city' && !['市辖区', '县'].includes(parent.name) ? parent.name : null, isPovertyCounty: c.isPovertyCounty, isSupervisedCounty: c.isSupervisedCounty };
        });
      scope = { code: region.code, name: region.name, level: region.level, counties, countyCodes: counties.map((c) => c.code) };
      this.cache.set(region.code, scope);
    }
    return scope;
  }

  /** Every province-level division's code, in code order. */
  provinces(): string[] {
    const codes = new Set(this.regions.counties().map((c) => this.regions.parentChain(c.code).at(-1)!.code));
    return [...codes].sort();
  }
}
