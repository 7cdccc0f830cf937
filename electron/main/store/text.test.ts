import { describe, expect, it } from 'vitest';
import { cjkTokens, decodeBody, encodeBody, hasCjk, hasLoneSurrogate, makeSnippet, wellFormed } from './text';

describe('body encoding', () => {
  it.each(['plain', '😀 pair', '\uD800', '\uDFFF', 'a\uDC00\uD800b', 'x\uD83D', ''])('round-trips %j exactly', (s) => {
    const enc = encodeBody(s);
    expect(decodeBody(enc.text, enc.utf16)).toBe(s);
    expect(enc.utf16 === null).toBe(!hasLoneSurrogate(s));
    expect(hasLoneSurrogate(enc.text)).toBe(false);
  });

  it('replaces lone surrogates, and only them', () => {
    expect(wellFormed('a\uD800b😀\uDC00')).toBe('a\uFFFDb😀\uFFFD');
  });
});

describe('CJK', () => {
  it('finds Han, Kana and Hangul (also astral Han), not Latin', () => {
    expect(hasCjk('hello')).toBe(false);
    expect(hasCjk('ok 你')).toBe(true);
    expect(hasCjk('カタカナ')).toBe(true);
    expect(hasCjk('한국어')).toBe(true);
    expect(hasCjk('𠀀')).toBe(true);
    expect(cjkTokens('我们 use 数据库!')).toBe('我 们 数 据 库');
    expect(cjkTokens('none here')).toBeNull();
  });
});

describe('snippets', () => {
  it('marks every term occurrence inside the window', () => {
    const s = makeSnippet('Database? The DATABASE is down', ['database']);
    expect(s.text).toBe('Database? The DATABASE is down');
    expect(s.highlights).toEqual([
      [0, 8],
      [14, 22],
    ]);
  });

  it('cuts around the first match without splitting a surrogate pair', () => {
    const body = `${'😀'.repeat(30)}needle${'😀'.repeat(100)}`;
    const s = makeSnippet(body, ['needle']);
    expect(s.text.startsWith('…')).toBe(true);
    expect(hasLoneSurrogate(s.text)).toBe(false);
    const [[a, b]] = s.highlights as [[number, number]];
    expect(s.text.slice(a, b)).toBe('needle');
  });

  it('starts at the beginning when the term is not literally there (accent-folded match)', () => {
    expect(makeSnippet('Café', ['cafe'])).toEqual({ text: 'Café', highlights: [] });
  });
});
