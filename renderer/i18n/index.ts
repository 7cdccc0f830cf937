// i18next set-up: English and Simplified Chinese bundled (no network loading: CSP connect-src
// 'none'), the OS language chosen by default and switchable in Settings.
import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { LocaleChoice } from '../store/actions';
import { en } from './en';
import { zhCN } from './zh-cn';

export type SupportedLocale = 'en' | 'zh-CN';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof en };
  }
}

/**
 * The locale for a BCP 47 tag list (navigator.languages): the first we support. Any Chinese tag
 * gets Simplified Chinese — the only Chinese we have, and easier for Traditional readers than English.
 */
export function pickLocale(preferred: readonly string[]): SupportedLocale {
  for (const tag of preferred) {
    const lower = tag.toLowerCase();
    if (lower === 'zh' || lower.startsWith('zh-')) return 'zh-CN';
    if (lower === 'en' || lower.startsWith('en-')) return 'en';
  }
  return 'en';
}

export function systemLocale(): SupportedLocale {
  const langs = typeof navigator === 'undefined' ? [] : navigator.languages?.length ? navigator.languages : [navigator.language];
  return pickLocale(langs);
}

export function resolveLocale(choice: LocaleChoice): SupportedLocale {
  return choice === 'system' ? systemLocale() : choice;
}

export async function initI18n(locale: SupportedLocale): Promise<i18n> {
  await i18next.use(initReactI18next).init({
    resources: { en: { translation: en }, 'zh-CN': { translation: zhCN } },
    lng: locale,
    fallbackLng: 'en',
    supportedLngs: ['en', 'zh-CN'],
    // React escapes text itself; i18next must not (it would show &lt; for a peer's '<').
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return i18next;
}

export { i18next };
