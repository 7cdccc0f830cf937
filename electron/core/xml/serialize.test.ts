import { describe, expect, it } from 'vitest';
import { XmlElement, x } from './element';
import { escapeAttr, escapeText, serialize, streamHeader, STREAM_CLOSE, NS_STREAM } from './serialize';
import { StreamParser } from './stream-parser';

const HEADER = streamHeader({ to: 'example.org' });

/** Parse one serialized stanza back with the real stream parser. */
function reparse(xml: string): XmlElement {
  const out: XmlElement[] = [];
  const errors: unknown[] = [];
  const p = new StreamParser({ streamOpen() {}, stanza: (el) => out.push(el), streamClose() {}, error: (e) => errors.push(e) });
  p.write(HEADER + xml);
  expect(errors).toEqual([]);
  expect(out).toHaveLength(1);
  return out[0]!;
}

/** What XML 1.0 can carry (§2.2 Char), written independently of the serializer: a `u` regex sees lone surrogates as \p{Cs}. */
function xmlChars(s: string): string {
  // Lone surrogates first: dropping a control between two halves must not pair them up.
  // eslint-disable-next-line no-control-regex
  return s.replace(/\p{Cs}/gu, '').replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '');
}

/** Seeded random strings over the characters that matter: markup, controls, surrogates, CJK, emoji. */
function randomStrings(count: number, seed: number): string[] {
  let a = seed;
  const rnd = () => { a = (Math.imul(a, 1103515245) + 12345) >>> 0; return (a >>> 8) / 0x1000000; };
  const alphabet = ['a', 'Z', ' ', '&', '<', '>', '"', "'", '\t', '\n', '\r', '\r\n', '\u0000', '\u0001', '\u001f', '\u007f', '\u0085', '中', '😀', '\uD83D', '\uDE00', '\uFFFE', '\uFFFF', '\uFFFD', ']]>', '&amp;', ';', '='];
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    let s = '';
    const n = Math.floor(rnd() * 30);
    for (let j = 0; j < n; j++) s += alphabet[Math.floor(rnd() * alphabet.length)];
    out.push(s);
  }
  return out;
}

describe('escapeText / escapeAttr', () => {
  it('escapes markup characters', () => {
    expect(escapeText('a & b < c > d " e \' f')).toBe('a &amp; b &lt; c &gt; d " e \' f');
    expect(escapeAttr('a & b < c > d " e \' f')).toBe('a &amp; b &lt; c &gt; d &quot; e &apos; f');
    expect(escapeText(']]>')).toBe(']]&gt;');
  });

  it('returns the same string when there is nothing to do', () => {
    const s = 'plain text with 中文 and émoji-free accents';
    expect(escapeText(s)).toBe(s);
    expect(escapeAttr(s)).toBe(s);
  });

  it('writes CR in text and TAB/LF/CR in attributes as character references', () => {
    expect(escapeText('a\r\nb\tc\nd')).toBe('a&#13;\nb\tc\nd');
    expect(escapeAttr('a\r\nb\tc')).toBe('a&#13;&#10;b&#9;c');
  });

  it('drops characters XML 1.0 cannot carry: C0 controls, lone surrogates, U+FFFE/U+FFFF', () => {
    expect(escapeText('a\u0000b\u0001c\u0008d\u000Be\u000Cf\u001Fg')).toBe('abcdefg');
    expect(escapeAttr('a\u0000b\u001F')).toBe('ab');
    expect(escapeText('x\uD800y')).toBe('xy');
    expect(escapeText('x\uDC00y')).toBe('xy');
    expect(escapeText('x\uD83D')).toBe('x');
    expect(escapeText('\uDE00\uD83D')).toBe('');
    expect(escapeText('a\uFFFEb\uFFFFc\uFFFDd')).toBe('abc\uFFFDd');
    expect(escapeText('😀 \uD83D\uDE00 👍🏽')).toBe('😀 😀 👍🏽');
    expect(escapeText('\u007f\u0085\u00a0')).toBe('\u007f\u0085\u00a0'); // allowed in XML 1.0
  });
});

describe('serialize', () => {
  it('writes elements, attributes, text and empty elements', () => {
    const el = x('message', { to: 'juliet@example.com', type: 'chat', id: 'a&b' },
      x('body', {}, 'Wherefore art thou, Romeo? <3 & 中文 😀'),
      x('active', { xmlns: 'http://jabber.org/protocol/chatstates' }));
    expect(serialize(el)).toBe("<message to='juliet@example.com' type='chat' id='a&amp;b'><body>Wherefore art thou, Romeo? &lt;3 &amp; 中文 😀</body>" +
      "<active xmlns='http://jabber.org/protocol/chatstates'/></message>");
  });

  it('keeps mixed content in order', () => {
    expect(serialize(x('p', {}, 'a', x('b', {}, 'c'), 'd', x('e')))).toBe('<p>a<b>c</b>d<e/></p>');
  });

  it('adds xmlns for a child whose namespace was given without an xmlns attribute', () => {
    const iq = x('iq', { type: 'get', id: '1' }, new XmlElement('query', {}, [new XmlElement('item', {}, [], 'jabber:iq:roster')], 'jabber:iq:roster'));
    expect(serialize(iq)).toBe("<iq type='get' id='1'><query xmlns='jabber:iq:roster'><item/></query></iq>");
  });

  it('never emits ill-formed XML: whatever the strings, the parser reads back exactly their XML characters', () => {
    const strings = randomStrings(300, 42);
    expect(new Set(strings).size).toBeGreaterThan(250);
    expect(strings.some((s) => !xmlChars(s).includes('\uD83D') && s.includes('\uD83D'))).toBe(true); // some lone halves are dropped
    for (const s of strings) {
      const el = x('message', { id: s, 'xml:lang': s }, x('body', {}, s), x('x', { xmlns: 'urn:x' }, s, x('y', { a: s }), s));
      const back = reparse(serialize(el));
      const want = xmlChars(s);
      expect(back.attr('id')).toBe(want);
      expect(back.attr('xml:lang')).toBe(want);
      expect(back.childText('body')).toBe(want);
      expect(back.child('x')!.text()).toBe(want + want);
      expect(back.child('x')!.child('y')!.attr('a')).toBe(want);
    }
  });

  it('round-trips parsed stanzas: serialize(parse(s)) is stable', () => {
    const inputs = [
      "<presence from='a@b/c' xml:lang='en'><show>away</show><status>lunch &amp; stuff</status><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='n' ver='v='/></presence>",
      "<iq type='result' id='r'><query xmlns='jabber:iq:roster' ver='1'><item jid='x@y' name='&lt;&gt;&quot;&apos;' subscription='both'><group>G</group></item></query></iq>",
      "<message><result xmlns='urn:xmpp:mam:2' id='1'><forwarded xmlns='urn:xmpp:forward:0'><delay xmlns='urn:xmpp:delay' stamp='2024-01-01T00:00:00Z'/>" +
        "<message xmlns='jabber:client' from='a@b'><body>&#x4e2d; &#128512;</body></message></forwarded></result></message>",
    ];
    for (const input of inputs) {
      const once = serialize(reparse(input));
      expect(serialize(reparse(once))).toBe(once);
    }
    expect(serialize(reparse(inputs[0]!))).toBe(inputs[0]);
  });
});

describe('streamHeader', () => {
  it('writes the XML declaration and an open stream tag, not self-closed', () => {
    expect(streamHeader({ to: 'example.org' })).toBe(
      "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0' to='example.org'>");
    expect(STREAM_CLOSE).toBe('</stream:stream>');
    expect(NS_STREAM).toBe('http://etherx.jabber.org/streams');
  });

  it('writes from and xml:lang when given, escaped', () => {
    expect(streamHeader({ to: 'a', from: "j'uliet@example.com", 'xml:lang': 'en', xmlns: 'jabber:server', version: '1.0' })).toBe(
      "<?xml version='1.0'?><stream:stream xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams' version='1.0' to='a' from='j&apos;uliet@example.com' xml:lang='en'>");
  });

  it('is read by the stream parser as a stream open', () => {
    const opened: Record<string, string>[] = [];
    const p = new StreamParser({ streamOpen: (a) => opened.push({ ...a }), stanza() {}, streamClose() {}, error: (e) => { throw new Error(e.text); } });
    p.write(streamHeader({ to: 'example.org', from: 'me@example.org', 'xml:lang': 'fr' }));
    expect(opened).toEqual([{ xmlns: 'jabber:client', 'xmlns:stream': NS_STREAM, version: '1.0', to: 'example.org', from: 'me@example.org', 'xml:lang': 'fr' }]);
  });
});
