import { createAppI18n } from '@chanxiao/web/i18n';
import { messages } from './messages';

export const i18n = createAppI18n(messages);
