// UI settings slice: theme, language, whether offline contacts show, collapsed roster groups and
// the roster filter. Only this slice outlives a sign-out; store.ts persists it (minus the filter).
import type { Show } from '../../shared/domain';
import type { Action, LocaleChoice, RosterSort, ThemeChoice } from './actions';
import { nullProto } from './records';

/** A status message saved to pick again from the presence selector. */
export interface SavedStatus {
  show: Show;
  status: string;
}
/** Saved status messages kept, newest first; older ones drop off. */
export const MAX_SAVED_STATUSES = 10;
const SHOWS: readonly Show[] = ['chat', 'available', 'away', 'xa', 'dnd'];
const SORTS: readonly RosterSort[] = ['name', 'presence'];

export interface SettingsSlice {
  theme: ThemeChoice;
  locale: LocaleChoice;
  showOffline: boolean;
  /** Roster group keys (see roster-rows.ts) the user collapsed. */
  collapsed: Readonly<Record<string, true>>;
  filter: string;
  /** Issue 4: order inside a group, groups whose members are all offline, saved status messages. */
  sortBy: RosterSort;
  showEmptyGroups: boolean;
  savedStatuses: readonly SavedStatus[];
}

export const emptySettings: SettingsSlice = { theme: 'system', locale: 'system', showOffline: true, collapsed: {}, filter: '', sortBy: 'name', showEmptyGroups: false, savedStatuses: [] };

const sameStatus = (a: SavedStatus, b: SavedStatus) => a.show === b.show && a.status === b.status;

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
      const next: Record<string, true> = nullProto(s.collapsed);
      if (collapsed) next[group] = true;
      else delete next[group];
      return { ...s, collapsed: next };
    }
    case 'local.filterChanged':
      return s.filter === a.payload.filter ? s : { ...s, filter: a.payload.filter };
    case 'local.loggedOut':
      return s.filter === '' ? s : { ...s, filter: '' };
    case 'local.sortChosen':
      return SORTS.includes(a.payload.sortBy) && s.sortBy !== a.payload.sortBy ? { ...s, sortBy: a.payload.sortBy } : s;
    case 'local.showEmptyGroupsToggled':
      return s.showEmptyGroups === a.payload.show ? s : { ...s, showEmptyGroups: a.payload.show };
    case 'local.statusSaved': {
      const entry = { show: a.payload.show, status: a.payload.status.trim() };
      if (entry.status === '' || !SHOWS.includes(entry.show)) return s;
      if (s.savedStatuses[0] && sameStatus(s.savedStatuses[0], entry)) return s;
      return { ...s, savedStatuses: [entry, ...s.savedStatuses.filter((x) => !sameStatus(x, entry))].slice(0, MAX_SAVED_STATUSES) };
    }
    case 'local.statusForgotten': {
      const savedStatuses = s.savedStatuses.filter((x) => !sameStatus(x, a.payload));
      return savedStatuses.length === s.savedStatuses.length ? s : { ...s, savedStatuses };
    }
    default:
      return s;
  }
}

/** What is saved between runs; anything unexpected in storage falls back to the default. */
export function persistedSettings(s: SettingsSlice): unknown {
  return { theme: s.theme, locale: s.locale, showOffline: s.showOffline, collapsed: Object.keys(s.collapsed), sortBy: s.sortBy, showEmptyGroups: s.showEmptyGroups, savedStatuses: s.savedStatuses };
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
    sortBy: SORTS.includes(r.sortBy as RosterSort) ? (r.sortBy as RosterSort) : emptySettings.sortBy,
    showEmptyGroups: typeof r.showEmptyGroups === 'boolean' ? r.showEmptyGroups : emptySettings.showEmptyGroups,
    savedStatuses: Array.isArray(r.savedStatuses)
      ? r.savedStatuses
          .filter((x): x is SavedStatus => typeof x === 'object' && x !== null && SHOWS.includes((x as SavedStatus).show) && typeof (x as SavedStatus).status === 'string' && (x as SavedStatus).status.trim() !== '')
          .map((x) => ({ show: x.show, status: x.status.slice(0, 1024) }))
          .slice(0, MAX_SAVED_STATUSES)
      : [],
  };
}
