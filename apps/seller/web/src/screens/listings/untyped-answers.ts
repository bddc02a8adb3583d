/**
 * Two answers the seller app's OpenAPI document does not describe yet (their controllers declare only a
 * description, so schema.d.ts types them as no content): `GET /categories` and the import report. These are the
 * server's shapes (libs/categories `CategoryView`, libs/listings `ImportReport`); once the controllers declare
 * response types, `npm run gen:api` and use `Schemas[…]` instead.
 */
export interface Category {
  code: string;
  parentCode: string | null;
  nameZh: string;
  nameEn: string;
  perishability: 'high' | 'medium' | 'low';
  typicalShelfLifeDays: number;
  coldChainRequired: boolean;
}

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
