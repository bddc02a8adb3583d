/**
 * The API's shapes the dashboard reads: the server's own view types, imported for their types only (erased from
 * the bundle), so the page and the API cannot drift apart.
 */
import type { CampaignFigures, PledgeFigures, SubsidyFigures } from '../../../../libs/reporting/src/assistance/assistance-figures.service';

export type { AtRiskLot, CategoryRow, CountyRow, Figures, SummaryView as Summary, TrendPoint } from '../../../../libs/reporting/src/dashboard.views';

/** A collection answer (SPEC §5). */
export interface Items<T> {
  items: T[];
  nextCursor: string | null;
}

/** `GET /dashboard/assistance`: 消费扶贫 pledges, campaigns and courier subsidies in scope. */
export interface AssistanceDashboard {
  pledges: PledgeFigures;
  campaigns: CampaignFigures[];
  subsidies: SubsidyFigures[];
}
