import { createAppI18n } from '@chanxiao/web/i18n';
import * as account from './messages/account';
import * as auth from './messages/auth';
import * as lots from './messages/lots';
import * as orders from './messages/orders';
import * as proposals from './messages/proposals';

/** The seller app's words, one file per domain under ./messages (each with `zh` and the same keys in `en`). */
const domains = [auth, lots, proposals, orders, account];
export const messages = {
  zh: Object.assign({}, ...domains.map((d) => d.zh)) as Record<string, unknown>,
  en: Object.assign({}, ...domains.map((d) => d.en)) as Record<string, unknown>,
};
export const i18n = createAppI18n(messages);
