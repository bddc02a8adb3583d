import { createApi, createSession } from '@chanxiao/web/api';
import { i18n } from '../i18n';
import { router } from '../router';
import type { components, paths } from './schema';

/** The seller API, typed from the seller app's own OpenAPI document (./schema.d.ts, `npm run gen:api`). */
export const session = createSession('seller');
export const api = createApi<paths>({
  session,
  locale: () => i18n.global.locale.value,
  onUnauthorized: () => {
    session.token = null;
    void router.replace({ name: 'login', query: { next: router.currentRoute.value.fullPath } });
  },
});

export type Schemas = components['schemas'];
export type Listing = Schemas['ListingView'];
export type Order = Schemas['OrderView'];
export type Proposal = Schemas['ProposalView'];
export type Me = Schemas['MeView'];
export type Category = Schemas['CategoryItemView'];
export type ImportReport = Schemas['ImportReportView'];
export type SubsidyEntry = Schemas['SubsidyEntryView'];
export type SubsidyPage = Schemas['SubsidyEntryPage'];
