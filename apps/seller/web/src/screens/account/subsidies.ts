/**
 * `GET /subsidies`: the seller app's OpenAPI document does not describe its answer yet (the controller declares
 * only a description, so schema.d.ts types it as no content). This is the server's shape (libs/assistance
 * `SubsidyProgrammesService.entries`: `Page<SubsidyEntryView> & { totalFen }`); once the controller declares a
 * response type, `npm run gen:api` and use `Schemas[…]` instead.
 */
export interface SubsidyEntry {
  id: string;
  programmeId: string;
  programmeName: string;
  orderId: string;
  kind: 'earned' | 'reversed';
  amountFen: number;
  createdAt: string;
}

export interface SubsidyPage {
  items: SubsidyEntry[];
  nextCursor: string | null;
  /** Earned net of reversals, over every entry (not only this page). */
  totalFen: number;
}
