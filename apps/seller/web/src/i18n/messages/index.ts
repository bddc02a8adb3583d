import * as account from './account';
import * as auth from './auth';
import * as lots from './lots';
import * as orders from './orders';
import * as proposals from './proposals';

/** The seller app's words, one file per domain (each with `zh` and the same keys in `en`). */
const domains = [auth, lots, proposals, orders, account];
export const messages = {
  zh: Object.assign({}, ...domains.map((d) => d.zh)) as Record<string, unknown>,
  en: Object.assign({}, ...domains.map((d) => d.en)) as Record<string, unknown>,
};
