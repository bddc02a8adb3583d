/**
 * An answer the seller app's OpenAPI document does not describe yet (its controller declares only a
 * description, so schema.d.ts types it as no content): the import report. These are the
 * server's shapes (libs/listings `ImportReport`); once the controllers declare
 * response types, `npm run gen:api` and use `Schemas[…]` instead.
 */
export interface ImportRowResult {
  /** As the person sees it in Excel/WPS: the header is row 1, the first data row 2. */
  row: number;
  status: 'created' | 'error';
  listingId?: string;
  errors: Array<{ field: string; column: string; message: string }>;
}

export interface ImportReport {
  importId: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  publish: boolean;
  totalRows: number;
  processedRows: number;
  created: number;
  failed: number;
  rows: ImportRowResult[];
}
