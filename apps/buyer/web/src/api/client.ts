import { createApi, createSession, ok } from '@chanxiao/web/api';
import { createCategories } from '@chanxiao/web/categories';
import { createRegionNames } from '@chanxiao/web/region-names';
import { i18n } from '../i18n';
import { router } from '../router';
import type { components, paths } from './schema';

/** The buyer API, typed from the buyer app's own OpenAPI document (./schema.d.ts, `npm run gen:api`). */
export const session = createSession('buyer');
export const api = createApi<paths>({
  session,
  locale: () => i18n.global.locale.value,
  onUnauthorized: () => {
    session.token = null;
    void router.replace({ name: 'login', query: { next: router.currentRoute.value.fullPath } });
  },
});

export type Schemas = components['schemas'];
export type Lot = Schemas['ListingSearchView'];
export type Order = Schemas['BuyerOrderView'];
export type Proposal = Schemas['ProposalView'];
export type Demand = Schemas['DemandView'];
export type Me = Schemas['MeView'];
export type Pool = Schemas['PoolView'];

/** The buyer app's produce taxonomy, loaded once. */
export const useCategories = createCategories(async () => (await ok(api.GET('/api/v1/categories'))).items);

/** County names of the lots' `regionCode`s (see `createRegionNames`). */
export const regionNames = createRegionNames(async (parentCode) => (await ok(api.GET('/api/v1/regions', { params: { query: { parentCode } } }))).items);
export const regionChildren = async (parentCode: string | null) =>
  (await ok(api.GET('/api/v1/regions', { params: { query: parentCode ? { parentCode } : {} } }))).items;
