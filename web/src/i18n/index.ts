/**
 * The web app's i18n: one i18next instance with bundled resources (./resources), zh-CN first, English
 * second. The choice is kept in localStorage (`shouwang.lang`); with no stored choice a browser set to
 * English starts in English, any other in zh-CN.
 *
 * In components: `const { t } = useTranslation('dispatch')` (react-i18next); a generic word needs no prefix,
 * `t('cancel')` (common is the fallback namespace); another namespace's key is prefixed and that namespace
 * listed, `useTranslation(['admin', 'auth'])` then `t('auth:newPassword')`. `useLang()` for the language,
 * `useLabel(ns)` for labels of server values. Keys are typed (i18next.d.ts).
 */
import { useCallback } from 'react';
import i18n from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import 'dayjs/locale/en';
import { NAMESPACES, resources, zh, type Key, type Namespace } from './resources';

export type Lang = 'zh' | 'en';
export type { Key, Namespace };

const STORAGE_KEY = 'shouwang.lang';

function initialLang(): Lang {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    if (v === 'en' || v === 'zh') return v;
  } catch {
    /* storage unavailable */
  }
  return browserLang();
}

/** The browser's first preferred language we have (English or Chinese); zh-CN when it prefers neither. */
export function browserLang(): Lang {
  if (typeof navigator === 'undefined') return 'zh';
  const prefs = navigator.languages?.length ? navigator.languages : [navigator.language ?? ''];
  for (const l of prefs) {
    if (/^en\b/i.test(l)) return 'en';
    if (/^zh\b/i.test(l)) return 'zh';
  }
  return 'zh';
}

function applyDocumentLang(lang: string) {
  const en = lang === 'en';
  document.documentElement.lang = en ? 'en' : 'zh-CN';
  dayjs.locale(en ? 'en' : 'zh-cn');
}

i18n.on('languageChanged', applyDocumentLang);

void i18n.use(initReactI18next).init({
  resources,
  lng: initialLang(),
  fallbackLng: 'zh',
  supportedLngs: ['zh', 'en'],
  ns: NAMESPACES,
  defaultNS: 'common',
  fallbackNS: 'common',
  // React escapes what it renders; the bundled resources are loaded synchronously.
  interpolation: { escapeValue: false },
  initAsync: false,
  react: { useSuspense: false },
});

export default i18n;

/** The current UI language, for code outside React (the API client). */
export function getLang(): Lang {
  return i18n.language === 'en' ? 'en' : 'zh';
}

/** Switches the language and remembers the choice. */
export function setLang(lang: Lang) {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    /* ignore */
  }
  void i18n.changeLanguage(lang);
}

/** The current language (re-renders on a switch) and the switch. */
export function useLang(): { lang: Lang; setLang: (lang: Lang) => void } {
  const { i18n: inst } = useTranslation();
  return { lang: inst.language === 'en' ? 'en' : 'zh', setLang };
}

/** Which key prefixes hold labels of values that come from the server (statuses, kinds, actions…). */
export interface LabelPrefixes {
  incidents: 'st_' | 'ac_' | 'src_' | 'tg_' | 'ev_' | 'cb_';
  dispatch: 'us_' | 'uk_' | 'as_' | 'alert_';
  cases: 'ev_' | 'exk_' | 'kind_' | 'status_' | 'state_' | 'colour_' | 'unit_';
}

/**
 * `label(prefix, value)`: the label of a value from the server, e.g. `label('st_', 'on_scene')`; the raw
 * value when the namespace has no such key, '—' when there is no value.
 */
export function useLabel<N extends keyof LabelPrefixes>(ns: N) {
  const { t } = useTranslation(ns);
  return useCallback(
    (prefix: LabelPrefixes[N], value: string | null | undefined): string => {
      if (!value) return '—';
      const key = `${prefix}${value}`;
      return Object.hasOwn(zh[ns], key) ? (t as unknown as (k: string) => string)(key) : value;
    },
    [t, ns],
  );
}
