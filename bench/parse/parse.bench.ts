// Stream parsing throughput (issue 2): our StreamParser against bare saxes and xmpp.js's parsers,
// on one deterministic ~100 MB server stream fed in 16 KiB reads decoded like the shell does
// (StringDecoder). Contestants run interleaved, in a rotating order, with a GC before each run;
// we report the median. Run through bench/parse/run.mjs (bundles this file with esbuild).
import { StringDecoder } from 'node:string_decoder';
import { SaxesParser } from 'saxes';
import SaxLtx from 'ltx/src/parsers/ltx.js';
import LtxElement from 'ltx/src/Element.js';
import { Parser as XmppXmlParser } from '@xmpp/xml';
import { StreamParser } from '../../electron/core/xml/stream-parser';
import { generateStream } from './gen';

const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string]));
const MB = Number(args.get('mb') ?? 100);
const RUNS = Number(args.get('runs') ?? 7);
const SEED = Number(args.get('seed') ?? 2024);
const READ = 16 * 1024;

const gc = (globalThis as { gc?: () => void }).gc;

type Contestant = { name: string; run(chunks: string[]): number };

// (a) ours: full restricted-XML checks, namespaces, limits, an XmlElement tree per stanza.
const flint: Contestant = {
  name: 'flint StreamParser (tree)',
  run(chunks) {
    let stanzas = 0;
    const p = new StreamParser({
      streamOpen() {},
      stanza() { stanzas++; },
      streamClose() {},
      error(e) { throw new Error(`flint parser error: ${e.condition} ${e.text}`); },
    }, { maxStanzaBytes: 1 << 20 });
    for (const c of chunks) p.write(c);
    p.end();
    return stanzas;
  },
};

// (b) saxes tokenizing with the options StreamParser uses (no namespace mode, no positions):
// the ratio denominator. Handlers only count.
function saxesTokenize(name: string, opts: ConstructorParameters<typeof SaxesParser>[0]): Contestant {
  return {
    name,
    run(chunks) {
      let depth = 0;
      let stanzas = 0;
      let text = 0;
      const p = new SaxesParser(opts);
      p.on('opentag', () => { depth++; });
      p.on('closetag', () => { if (--depth === 1) stanzas++; });
      p.on('text', (t) => { text += t.length; });
      p.on('error', (e) => { throw e; });
      for (const c of chunks) p.write(c);
      return text > 0 ? stanzas : -1;
    },
  };
}
const saxesSame = saxesTokenize('saxes tokenizing (same options)', { xmlns: false, position: false, forceXMLVersion: true, defaultXMLVersion: '1.0' });
const saxesDefault = saxesTokenize('saxes tokenizing (defaults)', {});

// (c) ltx's own parser with a streaming tree builder, as @xmpp/xml does but without its emitter.
const ltxTree: Contestant = {
  name: 'ltx parser + tree',
  run(chunks) {
    let stanzas = 0;
    let depth = 0;
    let cur: LtxElement | null = null;
    const p = new SaxLtx();
    p.on('startElement', (name, attrs) => {
      depth++;
      if (depth === 1) return;
      const el = new LtxElement(name, attrs);
      cur = cur === null ? el : cur.cnode(el);
    });
    p.on('endElement', () => {
      depth--;
      if (depth === 0 || cur === null) return;
      if (depth === 1) { stanzas++; cur = null; } else cur = cur.parent;
    });
    p.on('text', (t) => { if (cur !== null) cur.t(t); });
    p.on('error', (e) => { throw e; });
    for (const c of chunks) p.write(c);
    return stanzas;
  },
};

// (d) @xmpp/xml's Parser as xmpp.js uses it.
const xmppXml: Contestant = {
  name: '@xmpp/xml Parser',
  run(chunks) {
    let stanzas = 0;
    const p = new XmppXmlParser();
    p.on('element', () => { stanzas++; });
    p.on('error', (e) => { throw e; });
    for (const c of chunks) p.write(c);
    return stanzas;
  },
};

// (e) saxes + the least tree that could work (no checks, no namespaces).
type MiniEl = { name: string; attrs: Record<string, string>; children: (MiniEl | string)[] };
const saxesMini: Contestant = {
  name: 'saxes + minimal tree',
  run(chunks) {
    let stanzas = 0;
    const stack: MiniEl[] = [];
    const p = new SaxesParser({ xmlns: false, position: false });
    p.on('opentag', (tag) => {
      const el: MiniEl = { name: tag.name, attrs: tag.attributes, children: [] };
      if (stack.length > 1) stack[stack.length - 1]!.children.push(el);
      stack.push(el);
    });
    p.on('closetag', () => { stack.pop(); if (stack.length === 1) stanzas++; });
    p.on('text', (t) => { if (stack.length > 1) stack[stack.length - 1]!.children.push(t); });
    p.on('error', (e) => { throw e; });
    for (const c of chunks) p.write(c);
    return stanzas;
  },
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function main(): void {
  const t0 = performance.now();
  const stream = generateStream(MB * 1e6, SEED);
  const bytes = Buffer.from(stream, 'utf8');
  const decoder = new StringDecoder('utf8');
  const chunks: string[] = [];
  for (let i = 0; i < bytes.length; i += READ) chunks.push(decoder.write(bytes.subarray(i, i + READ)));
  const tail = decoder.end();
  if (tail) chunks.push(tail);
  const mb = bytes.length / 1e6;
  console.log(`stream: ${mb.toFixed(1)} MB UTF-8 (${stream.length} UTF-16 units), ${chunks.length} chunks of ${READ} bytes, seed ${SEED}, generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  console.log(`node ${process.version}, ${RUNS} runs each, interleaved, gc ${gc ? 'before each run' : 'NOT exposed (run with --expose-gc)'}`);

  const contestants = [flint, saxesSame, saxesDefault, saxesMini, ltxTree, xmppXml];
  const times = new Map<Contestant, number[]>(contestants.map((c) => [c, []]));
  const counts = new Map<Contestant, number>();
  for (let r = 0; r < RUNS; r++) {
    for (let k = 0; k < contestants.length; k++) {
      const c = contestants[(k + r) % contestants.length]!;
      gc?.();
      const s = performance.now();
      const n = c.run(chunks);
      times.get(c)!.push(performance.now() - s);
      counts.set(c, n);
    }
  }
  const base = median(times.get(saxesSame)!);
  const rows = contestants.map((c) => {
    const med = median(times.get(c)!);
    const all = times.get(c)!.map((t) => (mb / (t / 1000)).toFixed(0)).join(' ');
    return `| ${c.name} | ${(mb / (med / 1000)).toFixed(1)} | ${(base / med).toFixed(2)} | ${counts.get(c)} | ${all} |`;
  });
  console.log('\n| contestant | MB/s (median) | × saxes tokenizing | stanzas | MB/s per run |');
  console.log('|---|---|---|---|---|');
  for (const row of rows) console.log(row);
}

main();
