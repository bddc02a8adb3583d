/**
 * What the matcher knows about a lot and a demand, as plain data. The matcher app copies these from the
 * `listings` and `demands` rows (and the category and region tables); nothing here depends on Nest or TypeORM,
 * so feasibility and score can be unit-tested and run in a benchmark without a database.
 */

/** The facts about a lot (listing) that feasibility and score read. */
export interface LotFacts {
  id: string;
  /** The lot's leaf category, e.g. `fruit.lychee`. */
  categoryCode: string;
  /** The top-level group of {@link categoryCode}, e.g. `fruit`; lets a demand for the group cover the lot. */
  parentCategoryCode: string | null;
  /** Integer grams on offer now (not reserved, not sold). */
  availableGrams: number;
  /** Integer grams: the least one order may take from the lot. */
  minOrderGrams: number;
  /** Fen per kg. */
  unitPriceFen: number;
  /** YYYY-MM-DD, China calendar: the last day the produce is good. */
  bestBefore: string;
  /** The lot must travel refrigerated. */
  coldChain: boolean;
  /** 滞销: the cooperative cannot sell it through its usual channels. */
  stalled: boolean;
  /** From one of the 832 national poverty counties. */
  isPovertyCounty: boolean;
  /** From one of the 52 counties under 挂牌督战 (supervised battle) in 2020. */
  isSupervisedCounty: boolean;
  /** The county centroid, WGS-84 degrees. */
  lat: number;
  lon: number;
}

/** The facts about a demand that feasibility and score read. */
export interface DemandFacts {
  id: string;
  /** A leaf category, or a top-level group meaning any of its leaves. */
  categoryCode: string;
  /** Integer grams still wanted: `quantity − filled` (minus what open proposals already hold for it). */
  remainingGrams: number;
  /** Fen per kg: the most the buyer pays. */
  maxUnitPriceFen: number;
  /** YYYY-MM-DD, China calendar: the last day on which delivery is still useful. */
  deliverBy: string;
  /** The buyer can receive cold-chain lots. */
  coldChainCapable: boolean;
  /** 消费扶贫: the buyer wants lots from poverty counties first; multiplies the county term of the score. */
  preferPoverty: boolean;
  /** The destination region's centroid, WGS-84 degrees. */
  lat: number;
  lon: number;
}

/**
 * How road transit time is estimated from the great-circle distance:
 * `transitDays = handlingDays + ceil(greatCircleKm × roadFactor / kmPerDay)`.
 */
export interface TransitModel {
  /** Days to pick, pack and load before the truck leaves, and to unload at the end. Default 1. */
  handlingDays: number;
  /** Road kilometres a truck covers per day (two drivers on expressways do more; one driver on county roads less). Default 500. */
  kmPerDay: number;
  /** Road distance over great-circle distance; about 1.3 for Chinese road networks, more in mountains. Default 1.3. */
  roadFactor: number;
  /** Days of shelf life the lot must still have when it arrives (0: arriving on its best-before day is allowed). Default 0. */
  minShelfDaysOnArrival: number;
}

/**
 * The weights of the score (see `docs/matching.md` for the formula). Every term is a factor in [0, 1] times its
 * weight, so weights compare directly: a weight of 1 is worth as much as the best possible value of any other
 * weight-1 term. Valid ranges are checked by `matchWeightProblems`.
 */
export interface MatchWeights {
  /** The county term for a lot from a 挂牌督战 county. Must exceed {@link povertyCounty} by ≥ 0.01. Default 6. */
  supervisedCounty: number;
  /** The county term for a lot from another poverty county. In [0.01, 100]. Default 3. */
  povertyCounty: number;
  /** Multiplies the county term when the demand has `preferPoverty`. In [1, 10]. Default 2. */
  preferPovertyMultiplier: number;
  /** Added for a stalled (滞销) lot. In [0, 100]. Default 1.5. */
  stalled: number;
  /** Weight of the shelf-life urgency `h / (h + daysLeft)`. In [0, 100]. Default 2. */
  shelfLife: number;
  /** `h` above: the days left at which shelf-life urgency is one half. In [1, 10000]. Default 14. */
  shelfLifeHalfDays: number;
  /** Weight of the proximity `d / (d + km)`. In [0, 100]. Default 1. */
  distance: number;
  /** `d` above: the great-circle km at which proximity is one half. In [1, 10000]. Default 500. */
  distanceHalfKm: number;
  /** Weight of the price headroom `(ceiling − price) / ceiling`. In [0, 100]. Default 1. */
  priceHeadroom: number;
}
