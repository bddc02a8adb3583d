import * as account from './account';
import * as auth from './auth';
import * as cart from './cart';
import * as demands from './demands';
import * as orders from './orders';
import * as search from './search';

/** The buyer app's words, one file per domain (each with `zh` and the same keys in `en`). */
const domains = [auth, search, cart, orders, demands, account];
export const messages = {
  zh: Object.assign({}, ...domains.map((d) => d.zh)) as Record<string, unknown>,
  en: Object.assign({}, ...domains.map((d) => d.en)) as Record<string, unknown>,
};
