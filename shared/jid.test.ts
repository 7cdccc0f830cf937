import { describe, expect, it } from 'vitest';
import {
  JidError,
  MAX_PART_BYTES,
  bareJid,
  createJid,
  formatJid,
  isBareJid,
  jidEquals,
  parseJid,
  prepareDomainpart,
  prepareLocalpart,
  prepareResourcepart,
  punycodeEncode,
  sameBareJid,
  tryParseJid,
} from './jid';

describe('RFC 7622 §3.5 examples', () => {
  // §3.5.1 good examples, with the prepared result.
  it.each([
    ['juliet@example.com', { local: 'juliet', domain: 'example.com' }],
    ['juliet@example.com/foo', { local: 'juliet', domain: 'example.com', resource: 'foo' }],
    ['juliet@example.com/foo bar', { local: 'juliet', domain: 'example.com', resource: 'foo bar' }],
    ['juliet@example.com/foo@bar', { local: 'juliet', domain: 'example.com', resource: 'foo@bar' }],
    ['foo\\20bar@example.com', { local: 'foo\\20bar', domain: 'example.com' }],
    ['fussball@example.com', { local: 'fussball', domain: 'example.com' }],
    ['fußball@example.com', { local: 'fußball', domain: 'example.com' }],
    ['π@example.com', { local: 'π', domain: 'example.com' }],
    ['Σ@example.com/foo', { local: 'σ', domain: 'example.com', resource: 'foo' }],
    ['σ@example.com/foo', { local: 'σ', domain: 'example.com', resource: 'foo' }],
    ['ς@example.com/foo', { local: 'ς', domain: 'example.com', resource: 'foo' }],
    ['king@example.com/♚', { local: 'king', domain: 'example.com', resource: '♚' }],
    ['example.com', { domain: 'example.com' }],
    ['example.com/foobar', { domain: 'example.com', resource: 'foobar' }],
    ['a.example.com/b@example.net', { domain: 'a.example.com', resource: 'b@example.net' }],
    // Erratum 4560: a leading space in the resourcepart is allowed by OpaqueString.
    ['juliet@example.com/ foo', { local: 'juliet', domain: 'example.com', resource: ' foo' }],
  ])('accepts %s', (input, expected) => {
    expect(parseJid(input)).toEqual(expected);
  });

  // §3.5.2 bad examples.
  it.each([
    ['"juliet"@example.com', /“"”/],
    ['foo bar@example.com', /contains a space/],
    ['juliet@example.com/', /nothing after the “\/”/],
    ['@example.com/', /nothing/],
    ['henryⅣ@example.com', /compatibility character/],
    ['♚@example.com', /“♚”/],
    ['juliet@', /no domain/],
    ['/foobar', /no domain/],
  ])('rejects %s', (input, reason) => {
    expect(() => parseJid(input)).toThrow(JidError);
    expect(() => parseJid(input)).toThrow(reason);
    expect(tryParseJid(input)).toBeNull();
  });

  it('keeps fussball and fußball apart, and σ/ς apart, but Σ equal to σ', () => {
    expect(jidEquals('fussball@example.com', 'fußball@example.com')).toBe(false);
    expect(jidEquals('σ@example.com', 'ς@example.com')).toBe(false);
    expect(jidEquals('Σ@example.com/foo', 'σ@example.com/foo')).toBe(true);
  });
});

describe('localpart', () => {
  it('rejects each character RFC 7622 §3.3.1 forbids', () => {
    for (const c of ['"', '&', "'", '/', ':', '<', '>', '@']) {
      expect(() => prepareLocalpart(`a${c}b`), c).toThrow(JidError);
    }
    expect(() => parseJid('a&b@example.com')).toThrow(/“&”/);
  });

  it('rejects controls and whitespace', () => {
    for (const s of ['a\u0000b', 'a\tb', 'a\u007fb', 'a\u0085b', 'a\u00a0b', 'a\u3000b', 'a\u200bb']) {
      expect(() => prepareLocalpart(s), JSON.stringify(s)).toThrow(JidError);
    }
  });

  it('maps fullwidth to narrow and lowercases', () => {
    expect(prepareLocalpart('ＪＵＬＩＥＴ')).toBe('juliet');
    expect(prepareLocalpart('Juliet')).toBe('juliet');
    expect(prepareLocalpart('ÉLODIE')).toBe('élodie');
  });

  it('normalizes to NFC, so composed and decomposed forms are one address', () => {
    expect(prepareLocalpart('e\u0301')).toBe('\u00e9');
    expect(jidEquals('e\u0301@example.com', '\u00e9@example.com')).toBe(true);
  });

  it('rejects compatibility characters and non-letter symbols', () => {
    expect(() => prepareLocalpart('\u017ft')).toThrow(/compatibility/); // LATIN SMALL LETTER LONG S
    expect(() => prepareLocalpart('a\u2163')).toThrow(/write “iv” instead/);
    expect(() => prepareLocalpart('☺')).toThrow(JidError);
    expect(() => prepareLocalpart('a\u00ad')).toThrow(JidError); // soft hyphen: ignorable
  });

  it('accepts letters of other scripts', () => {
    expect(prepareLocalpart('медведь')).toBe('медведь');
    expect(prepareLocalpart('二ノ宮')).toBe('二ノ宮');
    expect(prepareLocalpart('δοκιμή')).toBe('δοκιμή');
  });
});

describe('domainpart', () => {
  it('lowercases, applies NFKC and strips one trailing dot', () => {
    expect(prepareDomainpart('Example.COM')).toBe('example.com');
    expect(prepareDomainpart('example.com.')).toBe('example.com');
    expect(prepareDomainpart('ＥＸＡＭＰＬＥ。com')).toBe('example.com');
    expect(prepareDomainpart('Bücher.example')).toBe('bücher.example');
    expect(() => prepareDomainpart('example.com..')).toThrow(/empty label/);
  });

  it('accepts IPv4 and bracketed IPv6 literals', () => {
    expect(prepareDomainpart('192.168.0.1')).toBe('192.168.0.1');
    for (const v6 of ['[::1]', '[2001:DB8::1]', '[::ffff:192.0.2.1]', '[1:2:3:4:5:6:7:8]', '[::]', '[fe80::]']) {
      expect(prepareDomainpart(v6)).toBe(v6.toLowerCase());
    }
    expect(parseJid('user@[::1]/res')).toEqual({ local: 'user', domain: '[::1]', resource: 'res' });
  });

  it('rejects malformed IP literals', () => {
    for (const bad of ['[127.0.0.1]', '[::1', '[1::2::3]', '[1:2:3:4:5:6:7:8:9]', '[1:2:3:4:5:6:7]', '[12345::]', '[::1%eth0]', '[1.2.3.4::]', '[::256.0.0.1]', '[]']) {
      expect(() => prepareDomainpart(bad), bad).toThrow(JidError);
    }
    expect(() => parseJid('::1]')).toThrow(JidError);
  });

  it('checks labels', () => {
    expect(() => prepareDomainpart('.example.com')).toThrow(/empty label/);
    expect(() => prepareDomainpart('-example.com')).toThrow(/starts or ends with “-”/);
    expect(() => prepareDomainpart('example-.com')).toThrow(/starts or ends with “-”/);
    expect(() => prepareDomainpart('exa mple.com')).toThrow(/a space/);
    expect(() => prepareDomainpart('exam!ple.com')).toThrow(/“!”/);
    expect(() => prepareDomainpart('♚.example')).toThrow(JidError);
    expect(() => prepareDomainpart('\u0301a.example')).toThrow(/combining mark/);
    expect(prepareDomainpart('conference_server.example')).toBe('conference_server.example');
  });

  it('limits a label to 63 octets in its ACE form, and the domain to 1023 octets', () => {
    expect(prepareDomainpart('a'.repeat(63) + '.com')).toBe('a'.repeat(63) + '.com');
    expect(() => prepareDomainpart('a'.repeat(64) + '.com')).toThrow(/longer than 63/);
    // "a"×56 + "ü" is 58 UTF-8 octets but 64 as "xn--" + punycode; one "a" fewer makes 63.
    expect(prepareDomainpart('a'.repeat(55) + 'ü.de')).toBe('a'.repeat(55) + 'ü.de');
    expect(() => prepareDomainpart('a'.repeat(56) + 'ü.de')).toThrow(/longer than 63/);
    const long = Array.from({ length: 16 }, () => 'a'.repeat(63)).join('.'); // 1023 octets
    expect(prepareDomainpart(long)).toBe(long);
    expect(() => prepareDomainpart(long + '.b')).toThrow(/longer than 1023 bytes/);
  });

  it('punycode-encodes labels as RFC 3492 does', () => {
    expect(punycodeEncode('bücher')).toBe('bcher-kva');
    expect(punycodeEncode('münchen')).toBe('mnchen-3ya');
    expect(punycodeEncode('пример')).toBe('e1afmkfd');
    expect(punycodeEncode('例え')).toBe('r8jz45g');
    expect(punycodeEncode('abc')).toBe('abc-');
  });

  it('punycode-encodes like Node\'s reference implementation', async () => {
    const { default: punycode } = await import('node:punycode');
    const pool = ['a', 'z', '0', '-', 'ü', 'ß', 'π', 'я', '例', 'え', '한', '😀', 'ـ'];
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    for (let i = 0; i < 500; i++) {
      const label = Array.from({ length: 1 + rand(20) }, () => pool[rand(pool.length)]).join('');
      expect(punycodeEncode(label), label).toBe(punycode.encode(label));
    }
  });
});

describe('resourcepart', () => {
  it('keeps case and spaces, maps non-ASCII spaces, applies NFC', () => {
    expect(prepareResourcepart('Foo Bar')).toBe('Foo Bar');
    expect(prepareResourcepart('a\u00a0b\u2003c')).toBe('a b c');
    expect(prepareResourcepart('Re\u0301s')).toBe('Rés');
    expect(jidEquals('a@b/Foo', 'a@b/foo')).toBe(false);
  });

  it('accepts symbols, compatibility characters and emoji sequences', () => {
    expect(prepareResourcepart('henryⅣ')).toBe('henryⅣ');
    expect(prepareResourcepart('❤️')).toBe('❤️');
    expect(prepareResourcepart('👨‍👩‍👧')).toBe('👨‍👩‍👧');
    expect(prepareResourcepart('🍺')).toBe('🍺');
  });

  it('rejects controls, private use, ignorables and lone surrogates', () => {
    for (const bad of ['a\u0000', 'a\nb', 'a\u0085', '\ue000', 'a\u00ad', 'a\u200eb', 'a\u2028b', '\ud800', '\ufdd0']) {
      expect(() => prepareResourcepart(bad), JSON.stringify(bad)).toThrow(JidError);
    }
  });

  it('takes everything after the first "/"', () => {
    expect(parseJid('juliet@example.com/foo/bar')).toEqual({ local: 'juliet', domain: 'example.com', resource: 'foo/bar' });
  });
});

describe('lengths', () => {
  it('allows 1023 bytes per part and no more', () => {
    const max = 'a'.repeat(MAX_PART_BYTES);
    expect(parseJid(`${max}@example.com/${max}`)).toEqual({ local: max, domain: 'example.com', resource: max });
    expect(() => parseJid(`${max}a@example.com`)).toThrow(/longer than 1023 bytes/);
    expect(() => parseJid(`a@example.com/${max}a`)).toThrow(/longer than 1023 bytes/);
    // Counted in UTF-8 bytes: 512 × "é" is 1024 bytes.
    expect(() => prepareResourcepart('é'.repeat(512))).toThrow(/longer than 1023 bytes/);
    expect(prepareResourcepart('é'.repeat(511))).toBe('é'.repeat(511));
  });
});

describe('helpers', () => {
  it('parses the parts at the first "/" and the first "@" before it', () => {
    expect(() => parseJid('a@b@example.com')).toThrow(/“@”/);
    expect(parseJid('example.com/a@b')).toEqual({ domain: 'example.com', resource: 'a@b' });
    expect(() => parseJid('')).toThrow(/no domain/);
    expect(() => parseJid('@')).toThrow(JidError);
  });

  it('formats, takes the bare JID and compares', () => {
    expect(formatJid({ local: 'a', domain: 'b', resource: 'c' })).toBe('a@b/c');
    expect(formatJid({ domain: 'b' })).toBe('b');
    expect(formatJid(parseJid('Juliet@Example.com/Balcony'))).toBe('juliet@example.com/Balcony');
    expect(bareJid('Juliet@Example.com/Balcony')).toBe('juliet@example.com');
    expect(bareJid({ local: 'Juliet', domain: 'Example.com', resource: 'x' })).toBe('juliet@example.com');
    expect(bareJid('example.com/x')).toBe('example.com');
    expect(() => bareJid('foo bar@example.com')).toThrow(JidError);
    expect(isBareJid('juliet@example.com')).toBe(true);
    expect(isBareJid('juliet@example.com/x')).toBe(false);
    expect(isBareJid('juliet@')).toBe(false);
    expect(sameBareJid('Juliet@example.com/a', 'juliet@EXAMPLE.com/b')).toBe(true);
    expect(sameBareJid('juliet@example.com', 'romeo@example.com')).toBe(false);
    expect(sameBareJid('juliet@example.com', 'juliet@')).toBe(false);
    expect(jidEquals('juliet@example.com/a', { local: 'JULIET', domain: 'example.com', resource: 'a' })).toBe(true);
    expect(jidEquals('juliet@example.com/a', 'juliet@example.com')).toBe(false);
  });

  it('createJid prepares separate parts, e.g. a MUC occupant', () => {
    expect(createJid({ local: 'Room', domain: 'conference.example.com', resource: 'Nick Name' })).toEqual({ local: 'room', domain: 'conference.example.com', resource: 'Nick Name' });
    expect(() => createJid({ local: 'room', domain: 'muc.example', resource: '' })).toThrow(JidError);
    expect(() => createJid({ local: 'a/b', domain: 'example.com' })).toThrow(/“\/”/);
  });

  it('gives a plain-English message naming the address', () => {
    const e = (() => {
      try {
        parseJid('foo bar@example.com');
      } catch (err) {
        return err as JidError;
      }
    })();
    expect(e?.message).toBe('“foo bar@example.com” is not a valid address: the part before “@” contains a space.');
    expect(e?.input).toBe('foo bar@example.com');
  });
});
