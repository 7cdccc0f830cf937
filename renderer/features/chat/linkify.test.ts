import { describe, expect, it } from 'vitest';
import { checkedUrl, linkify } from './linkify';

const links = (text: string) => linkify(text).filter((s) => s.kind === 'link').map((s) => (s.kind === 'link' ? s.url : ''));

describe('linkify', () => {
  it('finds http, https and mailto links and keeps the text around them', () => {
    expect(linkify('see https://example.org/a?b=1 now')).toEqual([
      { kind: 'text', text: 'see ' },
      { kind: 'link', text: 'https://example.org/a?b=1', url: 'https://example.org/a?b=1' },
      { kind: 'text', text: ' now' },
    ]);
    expect(links('mail mailto:bob@example.org or http://x.test')).toEqual(['mailto:bob@example.org', 'http://x.test/']);
  });

  it('leaves every other scheme as text', () => {
    for (const t of ['javascript:alert(1)', 'file:///etc/passwd', 'data:text/html,<b>x</b>', 'ftp://x.test', 'JaVaScRiPt:alert(1)', 'vbscript:x']) {
      expect(links(t)).toEqual([]);
      expect(linkify(t)).toEqual([{ kind: 'text', text: t }]);
    }
  });

  it('trims sentence punctuation but keeps balanced parentheses', () => {
    expect(links('Go to https://example.org/page.')).toEqual(['https://example.org/page']);
    expect(links('(see https://example.org/x)')).toEqual(['https://example.org/x']);
    expect(links('https://en.wikipedia.org/wiki/Flint_(rock), nice')).toEqual(['https://en.wikipedia.org/wiki/Flint_(rock)']);
    expect(links('"https://example.org/q"')).toEqual(['https://example.org/q']);
  });

  it('stops at CJK punctuation', () => {
    expect(links('看这个https://example.org/页面，很好')).toEqual(['https://example.org/%E9%A1%B5%E9%9D%A2']);
    expect(linkify('看这个https://example.org/页面，很好').map((s) => s.text)).toEqual(['看这个', 'https://example.org/页面', '，很好']);
  });

  it('refuses links with credentials (a disguise for the real host) and empty hosts', () => {
    expect(checkedUrl('https://bank.example@evil.example/')).toBeNull();
    expect(checkedUrl('https://user:pw@x.test/')).toBeNull();
    expect(links('https://bank.example@evil.example/login')).toEqual([]);
    expect(checkedUrl('mailto:')).toBeNull();
  });

  it('handles text without links and several links', () => {
    expect(linkify('')).toEqual([]);
    expect(linkify('plain <b>text</b>')).toEqual([{ kind: 'text', text: 'plain <b>text</b>' }]);
    expect(links('https://a.test https://b.test')).toEqual(['https://a.test/', 'https://b.test/']);
  });
});
