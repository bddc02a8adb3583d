import type { Period } from './period.util';

/** The figures of one period for one scope (kg with up to 3 decimals, money in fen). */
export interface Figures {
  listedKg: number;
  stalledKg: number;
  soldKg: number;
  soldFen: number;
  orders: number;
  buyers: number;
  /** soldKg ÷ listedKg of the same period; null when nothing was listed. Above 1 when older stock sold. */
  sellThroughRate: number | null;
}

export interface SummaryView {
  regionCode: string;
  regionName: string;
  regionLevel: 'province' | 'city' | 'county';
  period: Period;
  previousPeriod: Period;
  current: Figures;
  previous: Figures;
  /** Available kg on active lots now. */
  stockKg: number;
}

export interface RowFigures extends Figures {
  stockKg: number;
  /** stockKg at the period's daily sales rate; 0 without stock, null with stock but no sales. */
  daysOfStockLeft: number | null;
}

export interface CountyRow extends RowFigures {
  regionCode: string;
  name: string;
  cityName: string | null;
  isPovertyCounty: boolean;
  isSupervisedCounty: boolean;
}

export interface CategoryRow extends RowFigures {
  categoryCode: string;
  nameZh: string;
  parentCode: string | null;
  parentNameZh: string | null;
}

export interface TrendPoint extends Figures {
  month: string;
}

export interface BuyerTypeRow {
  buyerType: string;
  nameZh: string;
  buyers: number;
  orders: number;
  soldKg: number;
  soldFen: number;
  /** Of soldFen, what was bought from national poverty counties. */
  povertyCountyFen: number;
}

export interface AtRiskLot {
  id: string;
  title: string;
  categoryCode: string;
  categoryNameZh: string;
  regionCode: string;
  countyName: string;
  sellerOrganizationId: string;
  sellerName: string;
  isPovertyCounty: boolean;
  isSupervisedCounty: boolean;
  stalled: boolean;
  availableKg: number;
  unitPriceFen: number;
  bestBefore: string;
  daysToBestBefore: number;
  /** Why it is at risk: `stalled`, `expiring` (best-before within the horizon), or both. */
  reasons: ('stalled' | 'expiring')[];
}

export interface Listing<T> {
  regionCode: string;
  regionName: string;
  items: T[];
  nextCursor: string | null;
}

/** Chinese names of the buyer types (SPEC §5). */
export const BUYER_TYPE_NAMES: Record<string, string> = {
  wholesale_market: '农产品批发市场',
  ecommerce: '电商企业',
  public_welfare_market: '公益性农产品市场',
  logistics: '物流企业',
  consumption_assistance: '消费扶贫采购单位（预算单位、国企、工会、食堂）',
  retailer: '零售商超',
};
