import { describe, expect, it } from 'vitest';
import { en } from './en';
import { initI18n, pickLocale } from './index';
import { zhCN } from './zh-cn';

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
