/** The API's shapes the dashboard reads (see libs/reporting/src/dashboard.views.ts). */
export interface Figures {
  listedKg: number;
  stalledKg: number;
  soldKg: number;
  soldFen: number;
  orders: number;
  buyers: number;
  sellThroughRate: number | null;
}

export interface Summary {
  regionCode: string;
  regionName: string;
  period: { from: string; to: string };
  previousPeriod: { from: string; to: string };
  current: Figures;
  previous: Figures;
  stockKg: number;
}

export interface CountyRow extends Figures {
  regionCode: string;
  name: string;
  isSupervisedCounty: boolean;
  isPovertyCounty: boolean;
  stockKg: number;
}

export interface CategoryRow extends Figures {
  categoryCode: string;
  nameZh: string;
}

export interface TrendPoint extends Figures {
  month: string;
}

export interface AtRiskLot {
  id: string;
  title: string;
  categoryNameZh: string;
  countyName: string;
  sellerName: string;
  isSupervisedCounty: boolean;
  stalled: boolean;
  availableKg: number;
  unitPriceFen: number;
  bestBefore: string;
  daysToBestBefore: number;
  reasons: ('stalled' | 'expiring')[];
}

export interface Items<T> {
  items: T[];
  nextCursor: string | null;
}

/** `GET /dashboard/assistance`: 消费扶贫 pledges, campaigns and courier subsidies in scope (fields the page shows). */
export interface AssistanceDashboard {
  pledges: {
    year: number;
    purchasers: { organizationId: string; name: string; pledgedFen: number | null; countedFen: number; supervisedFen: number; shareOfPledge: number | null; behindSchedule: boolean }[];
    totals: { purchasers: number; pledgedFen: number; countedFen: number };
  };
  campaigns: { id: string; name: string; startsOn: string; endsOn: string; state: 'upcoming' | 'active' | 'ended'; soldKg: number; soldFen: number; orders: number; countiesReached: number }[];
  subsidies: { id: string; name: string; perOrderFen: number; budgetFen: number; spentFen: number; remainingFen: number; earnedOrders: number; sellers: number }[];
}
