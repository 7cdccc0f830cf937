import { describe, expect, it } from 'vitest';
import { StringDecoder } from 'node:string_decoder';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { SaxesParser } from 'saxes';
import { StreamParser, NS_STREAM } from './stream-parser';
import type { StreamParserError, StreamParserOptions } from './stream-parser';
import { XmlElement } from './element';
import { serialize } from './serialize';

const HEADER = "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' id='s1' from='example.org' version='1.0' xml:lang='en'>";

type Ev = ['open', Record<string, string>] | ['stanza', XmlElement] | ['close'] | ['error', StreamParserError];

function collect(opts?: StreamParserOptions) {
  const events: Ev[] = [];
  const p = new StreamParser({
    streamOpen: (a) => events.push(['open', { ...a }]),
    stanza: (el) => events.push(['stanza', el]),
    streamClose: () => events.push(['close']),
    error: (e) => events.push(['error', e]),
  }, opts);
  return { p, events, stanzas: () => events.filter((e) => e[0] === 'stanza').map((e) => e[1] as XmlElement), errors: () => events.filter((e) => e[0] === 'error').map((e) => e[1] as StreamParserError) };
}

function parse(input: string | string[], opts?: StreamParserOptions) {
  const c = collect(opts);
  for (const chunk of typeof input === 'string' ? [input] : input) c.p.write(chunk);
  return c;
}

/** A plain-data view of a tree, to compare trees with toEqual. */
type Dump = { name: string; ns: string; attrs: Record<string, string>; children: (Dump | string)[] };
function dump(el: XmlElement): Dump {
  return { name: el.name, ns: el.ns, attrs: { ...el.attrs }, children: el.children.map((c) => (typeof c === 'string' ? c : dump(c))) };
}

const kinds = (events: Ev[]) => events.map((e) => e[0]);

describe('StreamParser: stream and stanzas', () => {
  it('reports the stream open with its attributes, stanzas with namespaces, and the close', () => {
    const { events, stanzas } = parse(HEADER +
      "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls></stream:features>" +
      "<message to='a@b' type='chat'><body>hi</body><x xmlns='urn:x'><y/></x></message>" +
      '</stream:stream>');
    expect(kinds(events)).toEqual(['open', 'stanza', 'stanza', 'close']);
    expect(events[0]![1]).toEqual({ xmlns: 'jabber:client', 'xmlns:stream': NS_STREAM, id: 's1', from: 'example.org', version: '1.0', 'xml:lang': 'en' });
    const [features, message] = stanzas();
    expect(features!.name).toBe('stream:features');
    expect(features!.ns).toBe(NS_STREAM);
    expect(features!.child('starttls')!.ns).toBe('urn:ietf:params:xml:ns:xmpp-tls');
    expect(features!.child('starttls')!.child('required')!.ns).toBe('urn:ietf:params:xml:ns:xmpp-tls');
    expect(message!.ns).toBe('jabber:client');
    expect(message!.attr('to')).toBe('a@b');
    expect(message!.childText('body')).toBe('hi');
    expect(message!.child('body')!.ns).toBe('jabber:client');
    expect(message!.child('x')!.ns).toBe('urn:x');
    expect(message!.child('x')!.child('y')!.ns).toBe('urn:x');
  });

  it('gives stanzas the stream default namespace, whatever it is', () => {
    const { stanzas } = parse("<stream:stream xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams'><iq/>");
    expect(stanzas()[0]!.ns).toBe('jabber:server');
  });

  it('parses stream errors in the streams namespace', () => {
    const { stanzas, events } = parse(HEADER + "<stream:error><conflict xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error></stream:stream>");
    expect(kinds(events)).toEqual(['open', 'stanza', 'close']);
    expect(stanzas()[0]!.name).toBe('stream:error');
    expect(stanzas()[0]!.ns).toBe(NS_STREAM);
    expect(stanzas()[0]!.childNs('urn:ietf:params:xml:ns:xmpp-streams')!.name).toBe('conflict');
  });

  it('resolves other prefixes from the element, an ancestor or the stream root, keeping the qualified name', () => {
    const { stanzas, errors } = parse("<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' xmlns:db='jabber:server:dialback'>" +
      "<db:result from='a' to='b'>key</db:result>" +
      "<message xmlns:p='urn:p'><p:x><p:y/><z/></p:x><q:w xmlns:q='urn:q'/><p:d xmlns='urn:d'><e/></p:d><k/></message>");
    expect(errors()).toEqual([]);
    const [db, msg] = stanzas();
    expect(db!.name).toBe('db:result');
    expect(db!.ns).toBe('jabber:server:dialback');
    const px = msg!.child('p:x')!;
    expect(px.ns).toBe('urn:p');
    expect(px.child('p:y')!.ns).toBe('urn:p');
    // An unprefixed child of a prefixed element is in the default namespace, not the prefix's.
    expect(px.child('z')!.ns).toBe('jabber:client');
    expect(msg!.child('q:w')!.ns).toBe('urn:q');
    expect(msg!.child('p:d')!.ns).toBe('urn:p');
    expect(msg!.child('p:d')!.child('e')!.ns).toBe('urn:d');
    expect(msg!.child('k')!.ns).toBe('jabber:client');
  });

  it('keeps xmlns and xml:lang in attrs and stores attrs without a prototype', () => {
    const { stanzas } = parse(HEADER + "<message xml:lang='de' __proto__='x' constructor='y'><body xmlns='jabber:client'>x</body></message>");
    const m = stanzas()[0]!;
    expect(m.attr('xml:lang')).toBe('de');
    expect(m.attr('__proto__')).toBe('x');
    expect(m.attr('constructor')).toBe('y');
    expect(Object.getPrototypeOf(m.attrs)).toBe(null);
    expect(m.child('body')!.attr('xmlns')).toBe('jabber:client');
  });

  it('rejects a duplicate attribute as not well-formed, whichever the position', () => {
    for (const tag of ["<message to='a' to='b'/>", "<message><body a='1' b='2' a='3'>x</body></message>", "<presence __proto__='x' __proto__='y'/>"]) {
      const { errors, stanzas } = parse(HEADER + tag + '<presence/>');
      expect(errors(), tag).toHaveLength(1);
      expect(errors()[0]!.condition).toBe('not-well-formed');
      expect(errors()[0]!.text).toMatch(/duplicate attribute/);
      expect(stanzas()).toHaveLength(0);
    }
  });

  it('gives elements without children a shared read-only empty children array', () => {
    const { stanzas } = parse(HEADER + "<iq type='result' id='1'><query xmlns='jabber:iq:roster'><item jid='a@b'><group>G</group></item><item jid='c@d'/></query></iq><presence/>");
    const [iq, presence] = stanzas();
    const query = iq!.child('query')!;
    const [a, c] = query.elements('item');
    const group = a!.child('group')!;
    expect(c!.children).toBe(presence!.children); // both without children
    expect(Object.isFrozen(c!.children)).toBe(true);
    expect(() => (c!.children as XmlElement['children']).push('x')).toThrow(TypeError);
    // Elements with children get their own.
    expect(a!.children).toEqual([group]);
    expect(group.children).toEqual(['G']);
    expect(group.text()).toBe('G');
    expect(c!.attr('jid')).toBe('c@d');
    expect(presence!.attr('type')).toBeUndefined();
  });

  it('ignores whitespace keepalives between stanzas', () => {
    const { events } = parse([HEADER, ' ', '\n', "<presence/>", ' \t\r\n ', "<presence/>", ' ']);
    expect(kinds(events)).toEqual(['open', 'stanza', 'stanza']);
  });

  it('decodes the predefined entities and character references in text and attributes', () => {
    const { stanzas } = parse(HEADER + "<message id='a&amp;b&lt;&#x4e2d;&quot;&apos;'><body>&amp;&lt;&gt;&quot;&apos; &#x4e2d;&#25991; &#128512; &#x1F600;</body></message>");
    const m = stanzas()[0]!;
    expect(m.attr('id')).toBe('a&b<中"\'');
    expect(m.childText('body')).toBe('&<>"\' 中文 😀 😀');
  });

  it('keeps UTF-8 text (CJK, emoji, RTL) intact when decoded byte by byte like the shell does', () => {
    const body = '中文 日本語 한국어 😀👍🏽 עברית العربية ё';
    const bytes = Buffer.from(HEADER + `<message><body>${body}</body><x xmlns='u' a='${body}'/></message>`, 'utf8');
    const dec = new StringDecoder('utf8');
    const chunks: string[] = [];
    for (const b of bytes) chunks.push(dec.write(Buffer.from([b])));
    const { stanzas, errors } = parse(chunks);
    expect(errors()).toEqual([]);
    expect(stanzas()[0]!.childText('body')).toBe(body);
    expect(stanzas()[0]!.child('x')!.attr('a')).toBe(body);
  });

  it('builds the same trees when the input arrives one character at a time', () => {
    const input = HEADER +
      "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>SCRAM-SHA-1</mechanism></mechanisms></stream:features> " +
      "<message from='a@b/c' to='d@e' type='chat' id='x&amp;y'><body>Tom &amp; Jerry &lt;3 中文😀\r\nline2</body><![CDATA[ <raw> ]]><active xmlns='http://jabber.org/protocol/chatstates'/></message>\n" +
      "<iq type='result' id='r1'><query xmlns='jabber:iq:roster' ver='v1'><item jid='a@b' name='A &amp; B' subscription='both'><group>Friends</group></item></query></iq>" +
      '</stream:stream>';
    const whole = parse(input);
    const split = parse([...input.split('')]);
    expect(kinds(split.events)).toEqual(['open', 'stanza', 'stanza', 'stanza', 'close']);
    expect(split.stanzas().map(dump)).toEqual(whole.stanzas().map(dump));
    expect(whole.stanzas()[1]!.childText('body')).toBe('Tom & Jerry <3 中文😀\nline2');
  });

  it('accepts CDATA sections inside stanzas as text, merged with the text around them', () => {
    const { stanzas, errors } = parse(HEADER + '<message><body>a<![CDATA[<b>&amp;]]>c</body></message>');
    expect(errors()).toEqual([]);
    expect(stanzas()[0]!.child('body')!.children).toEqual(['a<b>&amp;c']);
  });

  it('keeps whitespace text inside stanzas', () => {
    const { stanzas } = parse(HEADER + '<message>\n  <body> x </body>\n</message>');
    expect(stanzas()[0]!.children).toEqual(['\n  ', expect.any(XmlElement), '\n']);
    expect(stanzas()[0]!.childText('body')).toBe(' x ');
  });

  it('accepts a stream without XML declaration and a surrogate pair split between chunks', () => {
    const { stanzas, errors } = parse(["<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'><message><body>a\uD83D", '\uDE00b</body></message>']);
    expect(errors()).toEqual([]);
    expect(stanzas()[0]!.childText('body')).toBe('a😀b');
  });

  it('ignores everything after </stream:stream>', () => {
    const { events } = parse([HEADER + '<presence/></stream:stream>', ' <garbage <<<', '<!-- x -->']);
    expect(kinds(events)).toEqual(['open', 'stanza', 'close']);
  });

  it('serialize(parse(x)) gives x back for serializer-style input and is stable for any input', () => {
    const canonical = "<message from='a@b/c' to='d@e' type='chat' id='x&amp;y&apos;'><body>Tom &amp; Jerry &lt;3 &gt; 中文😀</body>" +
      "<x xmlns='urn:x' a='&quot;q&quot;'><y/>t</x></message>";
    const once = parse(HEADER + canonical).stanzas()[0]!;
    expect(serialize(once)).toBe(canonical);
    const loose = '<message   to="a&#x40;b"  ><body>&#65;&#x42;<![CDATA[<&>]]>\'"</body><z xmlns="u" /></message>';
    const a = serialize(parse(HEADER + loose).stanzas()[0]!);
    const b = serialize(parse(HEADER + a).stanzas()[0]!);
    expect(b).toBe(a);
    expect(a).toBe("<message to='a@b'><body>AB&lt;&amp;&gt;'\"</body><z xmlns='u'/></message>");
  });
});

describe('StreamParser: mutated input', () => {
  it('never throws, and gives the same events however the input is split', () => {
    const base = HEADER +
      "<message from='a@b/c' type='chat'><body>x &amp; y &#x4e2d;😀</body><x xmlns='urn:x' p:a='1' xmlns:p='urn:p'><p:y/></x></message>" +
      " <iq type='result' id='1'><query xmlns='jabber:iq:roster'><item jid='a@b'/></query></iq><presence/></stream:stream>";
    const alphabet = ['<', '>', '/', '&', ';', '#', 'x', '!', '?', '-', '[', ']', "'", '"', '=', ':', ' ', '\n', 'a', '\u0000', '\uDE00', '😀', '<!--', '<![CDATA[', ']]>', '&lt;', '&#0;'];
    let seed = 7;
    const rnd = (n: number) => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return (seed >>> 8) % n; };
    const view = (events: Ev[]) => events.map((e) => (e[0] === 'stanza' ? dump(e[1]) : e[0] === 'error' ? e[1].condition : e[0]));
    const outcomes = new Set<string>();
    for (let round = 0; round < 800; round++) {
      let input = base;
      for (let k = 1 + rnd(3); k > 0; k--) {
        const at = rnd(input.length);
        const op = rnd(3);
        const piece = alphabet[rnd(alphabet.length)]!;
        input = op === 0 ? input.slice(0, at) + piece + input.slice(at) : op === 1 ? input.slice(0, at) + input.slice(at + 1 + rnd(5)) : input.slice(0, at) + piece + input.slice(at + 1);
      }
      const chunks: string[] = [];
      for (let i = 0; i < input.length;) { const n = 1 + rnd(12); chunks.push(input.slice(i, i + n)); i += n; }
      const whole = parse(input);
      const split = parse(chunks);
      expect(view(split.events), JSON.stringify(input)).toEqual(view(whole.events));
      expect(whole.errors().length).toBeLessThanOrEqual(1);
      outcomes.add(whole.errors()[0]?.condition ?? kinds(whole.events).at(-1)!);
    }
    // The mutations reach the clean path and every kind of error.
    expect([...outcomes]).toEqual(expect.arrayContaining(['bad-format', 'close', 'invalid-namespace', 'not-well-formed', 'restricted-xml', 'stanza']));
  });
});

describe('StreamParser: stream root', () => {
  it('rejects a root outside the streams namespace with invalid-namespace', () => {
    for (const root of [
      "<stream:stream xmlns='jabber:client' xmlns:stream='http://example.com/wrong'>",
      "<stream xmlns='http://etherx.jabber.org/streams'>",
      "<html xmlns='http://www.w3.org/1999/xhtml'>",
      "<s:features xmlns:s='http://etherx.jabber.org/streams'>",
    ]) {
      const { events } = parse(root + '<message/>');
      expect(events).toEqual([['error', { condition: 'invalid-namespace', text: expect.any(String) }]]);
    }
  });

  it('accepts another prefix for the streams namespace', () => {
    const { events, stanzas } = parse("<s:stream xmlns='jabber:client' xmlns:s='http://etherx.jabber.org/streams'><s:features/><iq/></s:stream>");
    expect(kinds(events)).toEqual(['open', 'stanza', 'stanza', 'close']);
    expect(stanzas()[0]!.ns).toBe(NS_STREAM);
    expect(stanzas()[1]!.ns).toBe('jabber:client');
  });
});

describe('StreamParser: restricted XML (RFC 6120 §11.1) and errors', () => {
  const expectOnly = (events: Ev[], before: string[], condition: StreamParserError['condition']) => {
    expect(kinds(events)).toEqual([...before, 'error']);
    expect((events.at(-1)![1] as StreamParserError).condition).toBe(condition);
  };

  it('rejects a DOCTYPE before the root, whole or one character at a time', () => {
    const input = "<?xml version='1.0'?><!DOCTYPE stream:stream>" + HEADER.slice(21);
    expectOnly(parse(input).events, [], 'restricted-xml');
    expectOnly(parse(input.split('')).events, [], 'restricted-xml');
  });

  it('rejects a billion-laughs internal subset at once, without expanding anything', () => {
    let dtd = '<!DOCTYPE lolz [<!ENTITY lol "lol">';
    for (let i = 1; i <= 9; i++) dtd += `<!ENTITY lol${i} "${`&lol${i === 1 ? '' : i - 1};`.repeat(10)}">`;
    dtd += ']>';
    const t = performance.now();
    const { events } = parse(["<?xml version='1.0'?>" + dtd + HEADER.slice(21), '<message><body>&lol9;</body></message>']);
    expectOnly(events, [], 'restricted-xml');
    expect(performance.now() - t).toBeLessThan(1000);
  });

  it('rejects a DOCTYPE inside the stream', () => {
    expectOnly(parse(HEADER + '<!DOCTYPE x [<!ENTITY a "b">]><message/>').events, ['open'], 'restricted-xml');
  });

  it('rejects references to entities that are not predefined, never expanding them', () => {
    const { events, stanzas } = parse(HEADER + '<message><body>&lol9;</body></message><presence/>');
    expectOnly(events, ['open'], 'restricted-xml');
    expect(stanzas()).toEqual([]);
  });

  it('rejects comments before the root, between stanzas and inside stanzas', () => {
    expectOnly(parse("<?xml version='1.0'?><!-- hi -->" + HEADER.slice(21)).events, [], 'restricted-xml');
    expectOnly(parse(HEADER + '<presence/><!-- hi --><presence/>').events, ['open', 'stanza'], 'restricted-xml');
    expectOnly(parse(HEADER + '<message><body>a<!-- hi --></body></message>').events, ['open'], 'restricted-xml');
  });

  it('rejects processing instructions, and an XML declaration anywhere but the start', () => {
    expectOnly(parse('<?xml-stylesheet href="x"?>' + HEADER.slice(21)).events, [], 'restricted-xml');
    expectOnly(parse(HEADER + '<message><?php echo 1 ?></message>').events, ['open'], 'restricted-xml');
    expectOnly(parse(HEADER + '<presence/><?foo?>').events, ['open', 'stanza'], 'restricted-xml');
    expectOnly(parse(HEADER + "<?xml version='1.0'?>").events, ['open'], 'restricted-xml');
  });

  it('rejects a mismatched close tag without emitting the element it closed', () => {
    expectOnly(parse(HEADER + '<message><body>x</message>').events, ['open'], 'not-well-formed');
    expectOnly(parse(HEADER + '<presence/><message></iq><presence/>').events, ['open', 'stanza'], 'not-well-formed');
    expectOnly(parse(HEADER + '<presence/></stream:foo>').events, ['open', 'stanza'], 'not-well-formed');
  });

  it('rejects garbage bytes and other ill-formed input with not-well-formed', () => {
    const cases = [
      '\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u01fc\u0003\u0003', // a TLS ClientHello read as text
      'HTTP/1.1 400 Bad Request\r\n\r\n',
      HEADER + '<message><body>\u0001</body></message>',
      HEADER + '<message><body>a\uDC00b</body></message>', // lone low surrogate
      HEADER + '<message><body>a\uFFFEb</body></message>',
      HEADER + "<message a='1' a='2'/>",
      HEADER + "<message a='<'/>",
      HEADER + '<message><body>a]]>b</body></message>',
      HEADER + '<p:message/>', // undeclared prefix
      HEADER + "<p:message xmlns:p=''/>", // no undeclaring in XML 1.0
      HEADER + '<message><<</message>',
    ];
    for (const input of cases) {
      const { events } = parse(input);
      expect(events.at(-1), JSON.stringify(input)).toEqual(['error', { condition: 'not-well-formed', text: expect.any(String) }]);
      expect(events.filter((e) => e[0] === 'stanza')).toEqual([]);
    }
  });

  it('gets no lone surrogates from the decoder: invalid UTF-8 (encoded surrogates) arrives as U+FFFD', () => {
    const dec = new StringDecoder('utf8');
    const bytes = Buffer.concat([Buffer.from(HEADER + '<message><body>a'), Buffer.from([0xed, 0xa0, 0xbd, 0xff]), Buffer.from('b</body></message>')]);
    const { stanzas, errors } = parse([dec.write(bytes)]);
    expect(errors()).toEqual([]);
    expect(stanzas()[0]!.childText('body')).toMatch(/^a\uFFFD+b$/);
  });

  it('rejects character data at stream level with bad-format', () => {
    expectOnly(parse(HEADER + '<presence/>hello<presence/>').events, ['open', 'stanza'], 'bad-format');
    expectOnly(parse(HEADER + '<![CDATA[x]]>').events, ['open'], 'bad-format');
  });

  it('emits the stanzas before an error in the same chunk, then the error, then nothing more', () => {
    const { p, events } = parse(HEADER + '<presence/><message/><!-- bad --><presence/>');
    expectOnly(events, ['open', 'stanza', 'stanza'], 'restricted-xml');
    expect(p.failed).toBe(true);
    p.write('<presence/><message><body>more</body></message>');
    p.write('<!-- again --> garbage <<<');
    p.end();
    expect(kinds(events)).toEqual(['open', 'stanza', 'stanza', 'error']);
  });

  it('reports only the first of several problems', () => {
    const { events } = parse(HEADER + '<a>&foo;\u0001</b><!-- c -->');
    expect(events.filter((e) => e[0] === 'error')).toHaveLength(1);
  });
});

describe('StreamParser: limits', () => {
  it('enforces maxStanzaBytes exactly on complete stanzas', () => {
    const stanza = (n: number) => `<message><body>${'x'.repeat(n - 32)}</body></message>`;
    expect(stanza(100)).toHaveLength(100);
    const ok = parse([HEADER, stanza(100), ' ', stanza(100)], { maxStanzaBytes: 100 });
    expect(kinds(ok.events)).toEqual(['open', 'stanza', 'stanza']);
    const tooBig = parse([HEADER, stanza(100), stanza(101)], { maxStanzaBytes: 100 });
    expect(kinds(tooBig.events)).toEqual(['open', 'stanza', 'error']);
    expect(tooBig.errors()[0]!.condition).toBe('policy-violation');
  });

  it('stops a 100 MB stanza fed in 16 KiB chunks as soon as it passes the limit, in bounded memory', () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const CHUNK = 16 * 1024;
    const total = 100 * 1024 * 1024;
    const { p, events } = collect();
    p.write(HEADER + '<message><body>');
    gc();
    const before = process.memoryUsage().heapUsed;
    let peak = 0;
    let errorAt = -1;
    for (let fed = 0, i = 0; fed < total; fed += CHUNK, i++) {
      // A fresh string each time, so that whatever the parser keeps really costs memory.
      p.write(String.fromCharCode(97 + (i % 26)).repeat(CHUNK));
      if (errorAt === -1 && events.length > 1) errorAt = fed + CHUNK;
      if (i % 64 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed - before);
    }
    expect(kinds(events)).toEqual(['open', 'error']);
    expect(events[1]![1]).toMatchObject({ condition: 'policy-violation' });
    const limit = 8 * 1024 * 1024;
    expect(errorAt).toBeGreaterThan(limit - CHUNK);
    expect(errorAt).toBeLessThanOrEqual(limit + 2 * CHUNK);
    expect(peak).toBeLessThan(48 * 1024 * 1024);
    gc();
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(16 * 1024 * 1024);
  });

  it('cuts off an unterminated entity reference and a giant chunk within the limit', () => {
    const amp = collect({ maxStanzaBytes: 1 << 20 });
    amp.p.write(HEADER + '<message><body>&');
    let writes = 0;
    while (amp.events.length < 2 && writes < 1000) { amp.p.write('a'.repeat(16 * 1024)); writes++; }
    expect(amp.errors()[0]!.condition).toBe('policy-violation');
    expect(writes).toBeLessThanOrEqual(66);

    // One write of 20 MB: the parser feeds it in pieces and stops at the first piece over the limit.
    const big = collect({ maxStanzaBytes: 1 << 20 });
    big.p.write(HEADER + '<message><body>' + 'z'.repeat(20 * 1024 * 1024) + '</body></message>');
    expect(big.errors()).toEqual([{ condition: 'policy-violation', text: expect.any(String) }]);
  });

  it('limits whitespace and the prolog too', () => {
    const ws = parse([HEADER, ' '.repeat(600), '<presence/>'], { maxStanzaBytes: 500 });
    expect(ws.errors()[0]!.condition).toBe('policy-violation');
    const prolog = parse(["<stream:stream xmlns='jabber:client' a='" + 'x'.repeat(600)], { maxStanzaBytes: 500 });
    expect(prolog.errors()[0]!.condition).toBe('policy-violation');
  });

  it('enforces maxDepth (stream root = 0, stanza = 1)', () => {
    const nest = (n: number) => '<a>'.repeat(n) + '</a>'.repeat(n);
    expect(kinds(parse(HEADER + nest(64)).events)).toEqual(['open', 'stanza']);
    const deep = parse(HEADER + nest(65));
    expect(kinds(deep.events)).toEqual(['open', 'error']);
    expect(deep.errors()[0]!.condition).toBe('policy-violation');
    expect(kinds(parse(HEADER + nest(4), { maxDepth: 3 }).events)).toEqual(['open', 'error']);
  });

  it('stops a depth bomb early', () => {
    const { p, events } = collect();
    p.write(HEADER);
    let writes = 0;
    while (!p.failed && writes < 10_000) { p.write('<a>'.repeat(1000)); writes++; }
    expect(writes).toBe(1);
    expect(events.at(-1)).toEqual(['error', { condition: 'policy-violation', text: expect.any(String) }]);
  });
});

describe('StreamParser: handlers and end()', () => {
  it('rethrows a handler exception after finishing the chunk, and keeps parsing', () => {
    const seen: string[] = [];
    const p = new StreamParser({
      streamOpen() {},
      stanza(el) { seen.push(el.name); if (el.name === 'boom') throw new Error('handler bug'); },
      streamClose() { seen.push('close'); },
      error(e) { seen.push('error ' + e.condition); },
    });
    expect(() => p.write(HEADER + '<a/><boom/><b/>')).toThrow('handler bug');
    p.write('<c/></stream:stream>');
    expect(seen).toEqual(['a', 'boom', 'b', 'c', 'close']);
  });

  it('delivers nothing after end(), even when a handler calls it mid-chunk', () => {
    const seen: string[] = [];
    const p: StreamParser = new StreamParser({
      streamOpen() {},
      stanza(el) { seen.push(el.name); if (el.name === 'proceed') p.end(); },
      streamClose() { seen.push('close'); },
      error() { seen.push('error'); },
    });
    p.write(HEADER + "<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>\u0016\u0003\u0001garbage</stream:stream>");
    p.write('<more/>');
    expect(seen).toEqual(['proceed']);
    expect(p.failed).toBe(false);
  });

  it('drops a partial stanza on end()', () => {
    const { p, events } = parse(HEADER + '<message><body>half');
    p.end();
    p.write('</body></message>');
    expect(kinds(events)).toEqual(['open']);
  });

  it('refuses to be written to from its own handler', () => {
    let inner: unknown;
    const p: StreamParser = new StreamParser({
      streamOpen() { try { p.write('<x/>'); } catch (e) { inner = e; } },
      stanza() {},
      streamClose() {},
      error() {},
    });
    p.write(HEADER);
    expect(inner).toBeInstanceOf(Error);
  });
});

describe('StreamParser: speed guard', () => {
  it('keeps its saxes parser in V8 fast-properties mode (an 8th handler makes it several times slower)', () => {
    setFlagsFromString('--allow-natives-syntax');
    const hasFastProperties = new Function('o', 'return %HasFastProperties(o)') as (o: object) => boolean;
    const eight = new SaxesParser();
    for (const ev of ['opentag', 'closetag', 'text', 'cdata', 'comment', 'processinginstruction', 'attribute', 'doctype'] as const) eight.on(ev, () => {});
    expect(hasFastProperties(eight)).toBe(false); // the probe works

    const { p } = parse(HEADER + "<message to='a@b' type='chat' id='x1'><body>x</body></message><presence xml:lang='en'/>");
    expect(hasFastProperties((p as unknown as { sax: object }).sax)).toBe(true);
  });
});
