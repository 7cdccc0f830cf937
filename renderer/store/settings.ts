// UI settings slice: theme, language, whether offline contacts show, collapsed roster groups and
// the roster filter. Only this slice outlives a sign-out; store.ts persists it (minus the filter).
import type { Action, LocaleChoice, ThemeChoice } from './actions';

export interface SettingsSlice {
  theme: ThemeChoice;
  locale: LocaleChoice;
  showOffline: boolean;
  /** Roster group keys (see roster-rows.ts) the user collapsed. */
  collapsed: Readonly<Record<string, true>>;
  filter: string;
}

export const emptySettings: SettingsSlice = { theme: 'system', locale: 'system', showOffline: true, collapsed: {}, filter: '' };

const THEMES: readonly ThemeChoice[] = ['system', 'light', 'dark'];
const LOCALES: readonly LocaleChoice[] = ['system', 'en', 'zh-CN'];

export function applySettings(s: SettingsSlice, a: Action): SettingsSlice {
  switch (a.name) {
    case 'local.themeChosen':
      return THEMES.includes(a.payload.theme) ? { ...s, theme: a.payload.theme } : s;
    case 'local.localeChosen':
      return LOCALES.includes(a.payload.locale) ? { ...s, locale: a.payload.locale } : s;
    case 'local.showOfflineToggled':
      return s.showOffline === a.payload.show ? s : { ...s, showOffline: a.payload.show };
    case 'local.groupToggled': {
      const { group, collapsed } = a.payload;
      if (!!s.collapsed[group] === collapsed) return s;
      const next: Record<string, true> = Object.assign(Object.create(null) as Record<string, true>, s.collapsed);
      if (collapsed) next[group] = true;
      else delete next[group];
      return { ...s, collapsed: next };
    }
    case 'local.filterChanged':
      return s.filter === a.payload.filter ? s : { ...s, filter: a.payload.filter };
    case 'local.loggedOut':
      return s.filter === '' ? s : { ...s, filter: '' };
    default:
      return s;
  }
}

/** What is saved between runs; anything unexpected in storage falls back to the default. */
export function persistedSettings(s: SettingsSlice): unknown {
  return { theme: s.theme, locale: s.locale, showOffline: s.showOffline, collapsed: Object.keys(s.collapsed) };
}

export function restoreSettings(raw: unknown): SettingsSlice {
  if (typeof raw !== 'object' || raw === null) return emptySettings;
  const r = raw as Record<string, unknown>;
  const collapsed: Record<string, true> = Object.create(null) as Record<string, true>;
  if (Array.isArray(r.collapsed)) for (const g of r.collapsed) if (typeof g === 'string') collapsed[g] = true;
  return {
    theme: THEMES.includes(r.theme as ThemeChoice) ? (r.theme as ThemeChoice) : emptySettings.theme,
    locale: LOCALES.includes(r.locale as LocaleChoice) ? (r.locale as LocaleChoice) : emptySettings.locale,
    showOffline: typeof r.showOffline === 'boolean' ? r.showOffline : emptySettings.showOffline,
    collapsed,
    filter: '',
  };
}
