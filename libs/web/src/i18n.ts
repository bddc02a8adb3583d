import { Locale } from 'vant';
import enUS from 'vant/es/locale/lang/en-US';
import zhCN from 'vant/es/locale/lang/zh-CN';
import { createI18n } from 'vue-i18n';
import { commonEn, commonZh } from './messages/common';

export type AppLocale = 'zh-CN' | 'en';
const KEY = 'chanxiao.locale';

/**
 * vue-i18n for one app: the shared words plus the app's own, Chinese by default, English as a switch that is
 * remembered on the device. Vant's own texts (pickers, dialogs) follow the same choice.
 */
export function createAppI18n<Zh extends object>(messages: { zh: Zh; en: Zh }) {
  const saved = localStorage.getItem(KEY);
  const locale: AppLocale = saved === 'en' ? 'en' : 'zh-CN';
  const i18n = createI18n({
    legacy: false,
    locale,
    fallbackLocale: 'zh-CN',
    messages: { 'zh-CN': { ...commonZh, ...messages.zh }, en: { ...commonEn, ...messages.en } },
  });
  applyLocale(locale);
  return i18n;
}

function applyLocale(locale: AppLocale): void {
  document.documentElement.lang = locale;
  Locale.use(locale === 'en' ? 'en-US' : 'zh-CN', locale === 'en' ? enUS : zhCN);
}

/** Switches the language of the page (and of the API's messages, through Accept-Language). */
export function setLocale(i18n: { global: { locale: { value: string } } }, locale: AppLocale): void {
  i18n.global.locale.value = locale;
  localStorage.setItem(KEY, locale);
  applyLocale(locale);
}
