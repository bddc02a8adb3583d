import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { chinaDate } from '@chanxiao/core';
import { CategoriesService } from '@chanxiao/categories';
import { type RegionInfo, RegionsService } from '@chanxiao/regions';
import type { DataSource } from 'typeorm';
import { ListingPhotoViews } from '../photos/listing-photo-views.service';
import type { ListingPhotoView } from '../photos/listing-photo.view';
import { gramsToKg } from '../quantity.util';
import { URGENCY_KEY_SQL } from '../search/search-sql';

/**
 * What a public page shows of a lot: the produce, its price and stock, its county and the seller's name. Never the
 * seller's phone, credit code or payout account, nor anything about buyers.
 */
export interface PublicLot {
  id: string;
  title: string;
  variety: string | null;
  grade: string | null;
  categoryName: string | null;
  unitPriceFen: number;
  availableKg: number;
  minOrderKg: number;
  harvestedOn: string;
  bestBefore: string;
  coldChain: boolean;
  stalled: boolean;
  certificateNo: string | null;
  county: PublicCounty;
  sellerName: string;
  photos: ListingPhotoView[];
}

/** A county with its badges and where it lies (province, city, county names). */
export interface PublicCounty {
  code: string;
  name: string;
  /** `云南省 文山壮族苗族自治州 广南县`. */
  fullName: string;
  isPovertyCounty: boolean;
  isSupervisedCounty: boolean;
}

interface LotRow {
  id: string;
  title: string;
  variety: string | null;
  grade: string | null;
  category_code: string;
  unit_price_fen: number;
  available_grams: string;
  min_order_grams: string;
  harvested_on: string;
  best_before: string;
  cold_chain: boolean;
  stalled: boolean;
  certificate_no: string | null;
  region_code: string;
  is_poverty_county: boolean;
  is_supervised_county: boolean;
  seller_name: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const COUNTY_CODE = /^\d{6}$/;
/** The most lots a county board shows. */
export const COUNTY_BOARD_SIZE = 50;

// On the market and buyable now: a draft, a withdrawn, expired or sold-out lot, or one past its best-before that the
// expiry job has not reached yet, is not shown, and looks exactly like a lot that does not exist.
const PUBLIC_LOT_SQL = `SELECT l.id, l.title, l.variety, l.grade, l.category_code, l.unit_price_fen, l.available_grams, l.min_order_grams,
    to_char(l.harvested_on, 'YYYY-MM-DD') AS harvested_on, to_char(l.best_before, 'YYYY-MM-DD') AS best_before, l.cold_chain, l.stalled,
    l.certificate_no, l.region_code, l.is_poverty_county, l.is_supervised_county, o.name AS seller_name
  FROM listings l JOIN organizations o ON o.id = l.organization_id
  WHERE l.status = 'active' AND l.best_before >= $1::date AND l.available_grams > 0`;

/** Reads the lots the public pages (no login) show: one lot, or a county's stalled lots, most urgent first. */
@Injectable()
export class PublicLotsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly photos: ListingPhotoViews,
    private readonly regions: RegionsService,
    private readonly categories: CategoriesService,
  ) {}

  /** The lot if it is on the market now; null for a malformed id and for any lot that is not (drafts included). */
  async lot(id: string): Promise<PublicLot | null> {
    if (!UUID.test(id)) return null;
    const [row] = (await this.dataSource.query(`${PUBLIC_LOT_SQL} AND l.id = $2::uuid`, [chinaDate(), id])) as LotRow[];
    return row ? this.toLot(row, await this.photos.forListing(row.id)) : null;
  }

  /** A county's stalled (滞销) lots on the market, most urgent first (as buyer search ranks them); null for an unknown county. */
  async countyBoard(code: string): Promise<{ county: PublicCounty; lots: PublicLot[] } | null> {
    const region = COUNTY_CODE.test(code) ? this.regions.find(code) : undefined;
    if (!region || region.level !== 'county') return null;
    const rows = (await this.dataSource.query(
      `${PUBLIC_LOT_SQL} AND l.stalled AND l.region_code = $2 ORDER BY ${URGENCY_KEY_SQL}, l.id LIMIT ${COUNTY_BOARD_SIZE}`,
      [chinaDate(), region.code],
    )) as LotRow[];
    const photos = await this.photos.forListings(rows.map((r) => r.id));
    return { county: this.county(region), lots: rows.map((r) => this.toLot(r, photos.get(r.id) ?? [])) };
  }

  private toLot(row: LotRow, photos: ListingPhotoView[]): PublicLot {
    const region = this.regions.find(row.region_code);
    return {
      id: row.id,
      title: row.title,
      variety: row.variety,
      grade: row.grade,
      categoryName: this.categories.find(row.category_code)?.nameZh ?? null,
      unitPriceFen: row.unit_price_fen,
      availableKg: gramsToKg(Number(row.available_grams)),
      minOrderKg: gramsToKg(Number(row.min_order_grams)),
      harvestedOn: row.harvested_on,
      bestBefore: row.best_before,
      coldChain: row.cold_chain,
      stalled: row.stalled,
      certificateNo: row.certificate_no,
      // The lot's own flags (set from its county when it was listed), as buyer search shows them.
      county: { ...(region ? this.county(region) : { code: row.region_code, name: row.region_code, fullName: row.region_code }), isPovertyCounty: row.is_poverty_county, isSupervisedCounty: row.is_supervised_county },
      sellerName: row.seller_name,
      photos,
    };
  }

  private county(region: RegionInfo): PublicCounty {
    const chain = this.regions.parentChain(region.code).reverse().map((r) => r.name);
    return { code: region.code, name: region.name, fullName: chain.join(' '), isPovertyCounty: region.isPovertyCounty, isSupervisedCounty: region.isSupervisedCounty };
  }
}
