import { describe, expect, it } from 'vitest';
import { action } from './actions';
import { applySettings, emptySettings, persistedSettings, restoreSettings } from './settings';

describe('settings slice', () => {
  it('sets theme, locale and the offline toggle', () => {
    let s = applySettings(emptySettings, action('local.themeChosen', { theme: 'dark' }));
    s = applySettings(s, action('local.localeChosen', { locale: 'zh-CN' }));
    s = applySettings(s, action('local.showOfflineToggled', { show: false }));
    expect(s).toMatchObject({ theme: 'dark', locale: 'zh-CN', showOffline: false });
  });

  it('collapses and expands groups, returning the same object when nothing changes', () => {
    const s1 = applySettings(emptySettings, action('local.groupToggled', { group: 'g:Work', collapsed: true }));
    expect(s1.collapsed['g:Work']).toBe(true);
    expect(applySettings(s1, action('local.groupToggled', { group: 'g:Work', collapsed: true }))).toBe(s1);
    expect(applySettings(s1, action('local.groupToggled', { group: 'g:Work', collapsed: false })).collapsed['g:Work']).toBeUndefined();
  });

  it('clears the filter on sign-out but keeps preferences', () => {
    let s = applySettings(emptySettings, action('local.filterChanged', { filter: 'bo' }));
    s = applySettings(s, action('local.themeChosen', { theme: 'light' }));
    s = applySettings(s, action('local.loggedOut', {}));
    expect(s).toMatchObject({ filter: '', theme: 'light' });
  });

  it('round-trips through storage without the filter, and rejects junk', () => {
    let s = applySettings(emptySettings, action('local.themeChosen', { theme: 'dark' }));
    s = applySettings(s, action('local.groupToggled', { group: 'offline', collapsed: true }));
    s = applySettings(s, action('local.filterChanged', { filter: 'x' }));
    const restored = restoreSettings(JSON.parse(JSON.stringify(persistedSettings(s))));
    expect(restored).toMatchObject({ theme: 'dark', filter: '', collapsed: { offline: true } });
    expect(restoreSettings({ theme: 'neon', locale: 'fr', showOffline: 'yes', collapsed: [1, '__proto__'] })).toMatchObject({
      theme: 'system',
      locale: 'system',
      showOffline: true,
    });
    expect(restoreSettings(null)).toBe(emptySettings);
  });
});
