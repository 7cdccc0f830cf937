import { describe, expect, it } from 'vitest';
import { en } from './en';
import * as enApp from './en/app';
import * as enChat from './en/chat';
import * as enContacts from './en/contacts';
import * as enLogin from './en/login';
import * as enProfile from './en/profile';
import * as enRoster from './en/roster';
import * as enTransfers from './en/transfers';
import { initI18n, pickLocale } from './index';
import { zhCN } from './zh-cn';
import * as zhApp from './zh-cn/app';
import * as zhChat from './zh-cn/chat';
import * as zhContacts from './zh-cn/contacts';
import * as zhLogin from './zh-cn/login';
import * as zhProfile from './zh-cn/profile';
import * as zhRoster from './zh-cn/roster';
import * as zhTransfers from './zh-cn/transfers';

/** Each language's area files (en/<area>.ts, zh-cn/<area>.ts), one export per namespace. */
const areas = {
  en: { app: enApp, chat: enChat, contacts: enContacts, login: enLogin, profile: enProfile, roster: enRoster, transfers: enTransfers },
  zhCN: { app: zhApp, chat: zhChat, contacts: zhContacts, login: zhLogin, profile: zhProfile, roster: zhRoster, transfers: zhTransfers },
};

/** Leaf keys with plural suffixes folded (Chinese has only _other; English has _one and _other). */
function keys(o: object, prefix = ''): Set<string> {
  const out = new Set<string>();
  for (const [k, v] of Object.entries(o)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.add(path.replace(/_(zero|one|two|few|many|other)$/, ''));
    else for (const sub of keys(v as object, path)) out.add(sub);
  }
  return out;
}

function placeholders(o: object, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(o)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(path.replace(/_(zero|one|two|few|many|other)$/, ''), [...v.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort().join(','));
    else for (const [p, s] of placeholders(v as object, path)) out.set(p, s);
  }
  return out;
}

describe('translations', () => {
  it('zh-CN translates every English string and nothing else', () => {
    expect([...keys(zhCN)].sort()).toEqual([...keys(en)].sort());
  });

  it('assembles every namespace of every area file, each in the same area in both languages', () => {
    for (const [lang, bundle] of [['en', en], ['zhCN', zhCN]] as const) {
      const exported = Object.values(areas[lang]).flatMap((mod) => Object.entries(mod));
      // A namespace left out of en.ts / zh-cn.ts would be missing at run time in both languages at once,
      // which the key-set comparison cannot see.
      expect(exported.map(([ns]) => ns).sort()).toEqual(Object.keys(bundle).sort());
      for (const [ns, strings] of exported) expect(bundle[ns as keyof typeof bundle]).toBe(strings);
    }
    const layout = (lang: keyof typeof areas) => Object.entries(areas[lang]).map(([area, mod]) => [area, Object.keys(mod).sort()]);
    expect(layout('zhCN')).toEqual(layout('en'));
  });

  it('keeps the same placeholders in both languages', () => {
    const zh = placeholders(zhCN);
    for (const [key, ph] of placeholders(en)) expect([key, zh.get(key)]).toEqual([key, ph]);
  });

  it('picks the OS language: any Chinese → zh-CN, else English', () => {
    expect(pickLocale(['zh-CN'])).toBe('zh-CN');
    expect(pickLocale(['zh-Hans-SG', 'en'])).toBe('zh-CN');
    expect(pickLocale(['zh-TW'])).toBe('zh-CN');
    expect(pickLocale(['fr-FR', 'en-GB'])).toBe('en');
    expect(pickLocale(['de'])).toBe('en');
    expect(pickLocale([])).toBe('en');
  });

  it('pluralizes and does not HTML-escape peer text (React escapes)', async () => {
    const i18n = await initI18n('en');
    expect(i18n.t('roster.unread', { count: 1 })).toBe('1 unread message');
    expect(i18n.t('roster.unread', { count: 3 })).toBe('3 unread messages');
    expect(i18n.t('subscriptions.wants', { who: '<b>x</b>' })).toBe('<b>x</b> wants to add you as a contact.');
    await i18n.changeLanguage('zh-CN');
    expect(i18n.t('roster.unread', { count: 1 })).toBe('1 条未读消息');
    expect(i18n.t('login.signIn')).toBe('登录');
  });
});
