import type { paths } from '../../api/schema';

type ListQuery = NonNullable<paths['/api/v1/listings']['get']['parameters']['query']>;

/**
 * `GET /listings` as the keyword search (branch h-search, SPEC §8) extends it: `q` (1–50 characters) and
 * `sort=relevance`. TODO remove once schema.d.ts has them (`npm run gen:api` after the merge): use ListQuery.
 */
export type SearchSort = NonNullable<ListQuery['sort']> | 'relevance';
export type SearchQuery = Omit<ListQuery, 'sort'> & { q?: string; sort?: SearchSort };

/** The query as openapi-fetch's generated type takes it (the local extension above, until it is generated). */
export const asListQuery = (query: SearchQuery) => query as ListQuery;
