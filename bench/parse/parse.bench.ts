// Stream parsing throughput (issue 2): our StreamParser against bare saxes and xmpp.js's parsers,
// on one deterministic ~100 MB server stream fed in 16 KiB reads decoded like the shell does
// (StringDecoder). Every measurement runs in a fresh process; contestants are interleaved in a
// rotating order and we report medians (and best runs) of CPU time and wall time. With
// --callgrind it counts instructions under valgrind instead, which a busy machine cannot skew.
// Run through bench/parse/run.mjs, which bundles this file with esbuild into bench/.data/:
//   node bench/parse/run.mjs [--mb=100] [--runs=7] [--seed=2024] [--only=flint,ltx,...] [--callgrind]
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { SaxesParser } from 'saxes';
import SaxLtx from 'ltx/src/parsers/ltx.js';
import LtxElement from 'ltx/src/Element.js';
import { Parser as XmppXmlParser } from '@xmpp/xml';
import { StreamParser } from '../../electron/core/xml/stream-parser';
import { generateStream } from './gen';

const args = new Map(process.argv.slice(2).map((a) => { const [k, v] = a.replace(/^--/, '').split('='); return [k!, v ?? '']; }));
const MB = Number(args.get('mb') ?? 100);
const RUNS = Number(args.get('runs') ?? 7);
const SEED = Number(args.get('seed') ?? 2024);
const READ = 16 * 1024;
const DATA = path.resolve(path.dirname(process.argv[1]!), '.'); // the bundle lives in bench/.data/

const gc = (globalThis as { gc?: () => void }).gc;

type Contestant = { key: string; name: string; run(chunks: string[]): number };

// (a) ours: full restricted-XML checks, namespaces, limits, an XmlElement tree per stanza.
const flint: Contestant = {
  key: 'flint',
  name: 'flint StreamParser (tree)',
  run(chunks) {
    let stanzas = 0;
    const p = new StreamParser({
      streamOpen() {},
      stanza() { stanzas++; },
      streamClose() {},
      error(e) { throw new Error(`flint parser error: ${e.condition} ${e.text}`); },
    });
    for (const c of chunks) p.write(c);
    p.end();
    return stanzas;
  },
};

// (b) saxes tokenizing with the options StreamParser uses (no namespace mode, no positions):
// the ratio denominator. Handlers only count.
function saxesTokenize(key: string, name: string, opts: ConstructorParameters<typeof SaxesParser>[0]): Contestant {
  return {
    key,
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
const saxesSame = saxesTokenize('saxes', 'saxes tokenizing (same options)', { xmlns: false, position: false, forceXMLVersion: true, defaultXMLVersion: '1.0' });
const saxesDefault = saxesTokenize('saxes-default', 'saxes tokenizing (defaults)', {});

// (c) ltx's own parser with a streaming tree builder, as @xmpp/xml does but without its emitter.
const ltxTree: Contestant = {
  key: 'ltx',
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
  key: 'xmpp-xml',
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
  key: 'saxes-tree',
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

const all = [flint, saxesSame, saxesDefault, saxesMini, ltxTree, xmppXml];
const only = args.get('only')?.split(',');
// saxes tokenizing is the reference for the ratios, so it always runs.
const contestants = only ? all.filter((c) => c === saxesSame || only.includes(c.key)) : all;

/** The stream as the shell sees it: 16 KiB socket reads through a StringDecoder. */
function readChunks(bytes: Buffer): string[] {
  const decoder = new StringDecoder('utf8');
  const chunks: string[] = [];
  for (let i = 0; i < bytes.length; i += READ) chunks.push(decoder.write(bytes.subarray(i, i + READ)));
  const tail = decoder.end();
  if (tail) chunks.push(tail);
  return chunks;
}

type Sample = { cpuMs: number; wallMs: number; stanzas: number };

/**
 * One measurement in a fresh process, so no contestant's JIT feedback (saxes is shared by four)
 * skews another's. Decode the first `reads` reads, warm up on the first `warm`, GC, then time a
 * pass over the first `n`.
 */
function child(key: string, file: string, warm: number, n: number, reads: number): void {
  const c = all.find((k) => k.key === key)!;
  const bytes = readFileSync(file);
  const chunks = readChunks(bytes.subarray(0, Math.min(bytes.length, reads * READ)));
  c.run(chunks.slice(0, Math.min(chunks.length, warm)));
  gc?.();
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  const stanzas = c.run(n >= chunks.length ? chunks : chunks.slice(0, n));
  const wallMs = performance.now() - wall0;
  const cpu = process.cpuUsage(cpu0);
  const sample: Sample = { cpuMs: (cpu.user + cpu.system) / 1000, wallMs, stanzas };
  process.stdout.write(JSON.stringify(sample));
}

function ensureStream(): string {
  const file = path.join(DATA, `parse-stream-${MB}mb-${SEED}.xml`);
  if (!existsSync(file)) {
    const t0 = performance.now();
    mkdirSync(DATA, { recursive: true });
    writeFileSync(file, generateStream(MB * 1e6, SEED), 'utf8');
    console.log(`generated ${file} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  return file;
}

function timing(file: string): void {
  const bytes = readFileSync(file);
  const mb = bytes.length / 1e6;
  const chunks = readChunks(bytes).length;
  console.log(`stream: ${mb.toFixed(1)} MB UTF-8, ${chunks} reads of ${READ} bytes decoded with StringDecoder, seed ${SEED}`);
  console.log(`node ${process.version}; ${RUNS} runs per contestant, each in a fresh process (warm-up on the first ~8 MB, then GC, then the timed pass), interleaved in rotating order`);

  const samples = new Map<string, Sample[]>(contestants.map((c) => [c.name, []]));
  for (let r = 0; r < RUNS; r++) {
    for (let k = 0; k < contestants.length; k++) {
      const c = contestants[(k + r) % contestants.length]!;
      const out = execFileSync(process.execPath, ['--expose-gc', process.argv[1]!, `--child=${c.key}`, `--file=${file}`], { encoding: 'utf8', maxBuffer: 1 << 20 });
      samples.get(c.name)!.push(JSON.parse(out) as Sample);
    }
    process.stderr.write(`run ${r + 1}/${RUNS} done\n`);
  }
  const of = (name: string, key: 'cpuMs' | 'wallMs') => samples.get(name)!.map((x) => x[key]);
  const rate = (ms: number) => (mb / (ms / 1000)).toFixed(1);
  const base = { cpu: median(of(saxesSame.name, 'cpuMs')), best: Math.min(...of(saxesSame.name, 'cpuMs')), wall: median(of(saxesSame.name, 'wallMs')) };
  // Each round's ratio to that round's saxes run, so slow phases of a busy machine cancel out.
  const paired = (name: string) => median(samples.get(name)!.map((x, r) => samples.get(saxesSame.name)![r]!.cpuMs / x.cpuMs));
  console.log('\n| contestant | MB/s CPU, median | × saxes | × saxes, paired by round | MB/s CPU, best run | × saxes, best | MB/s wall, median | × saxes, wall | stanzas | CPU MB/s per run |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const c of contestants) {
    const cpu = median(of(c.name, 'cpuMs'));
    const best = Math.min(...of(c.name, 'cpuMs'));
    const wall = median(of(c.name, 'wallMs'));
    const counts = new Set(samples.get(c.name)!.map((x) => x.stanzas));
    const per = of(c.name, 'cpuMs').map((ms) => (mb / (ms / 1000)).toFixed(0)).join(' ');
    console.log(`| ${c.name} | ${rate(cpu)} | ${(base.cpu / cpu).toFixed(2)} | ${paired(c.name).toFixed(2)} | ${rate(best)} | ${(base.best / best).toFixed(2)} | ${rate(wall)} | ${(base.wall / wall).toFixed(2)} | ${[...counts].join('/')} | ${per} |`);
  }
}

/**
 * Instructions instead of seconds, for a machine too busy to time on: each contestant runs under
 * valgrind (callgrind) with V8 single-threaded (JIT and GC on the main thread, deterministic),
 * parsing the first 300 and then the first 900 reads after a 150-read warm-up (both runs decode
 * 900 reads); the difference is the cost of reads 300..900 (~9.8 MB), free of start-up, decoding
 * and warm-up. Counts ignore cache misses and memory
 * bandwidth, which the timing mode does see.
 */
async function callgrind(file: string): Promise<void> {
  const instructions = (key: string, n: number) => new Promise<number>((resolve, reject) => {
    const p = spawn('valgrind', ['--tool=callgrind', '--callgrind-out-file=/dev/null', process.execPath, '--single-threaded', '--expose-gc',
      process.argv[1]!, `--child=${key}`, `--file=${file}`, '--warm=150', `--n=${n}`, '--reads=900'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    p.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    p.on('error', reject);
    p.on('close', () => {
      const m = /Collected : (\d+)/.exec(stderr);
      if (m) resolve(Number(m[1]));
      else reject(new Error(`valgrind failed for ${key}: ${stderr.slice(-500)}`));
    });
  });
  const mb = (600 * READ) / 1e6;
  console.log(`callgrind: instructions for reads 300..900 (${mb.toFixed(2)} MB) of ${file}, node ${process.version} --single-threaded`);
  // Instruction counts do not depend on what else runs, so two at a time.
  const jobs = contestants.flatMap((c) => [900, 300].map((n) => ({ c, n })));
  const results = new Map<string, number>();
  const worker = async () => {
    for (let job = jobs.shift(); job; job = jobs.shift()) {
      results.set(`${job.c.key}/${job.n}`, await instructions(job.c.key, job.n));
      process.stderr.write(`${job.c.name} (${job.n} reads) done\n`);
    }
  };
  await Promise.all([worker(), worker()]);
  const cost = (c: Contestant) => results.get(`${c.key}/900`)! - results.get(`${c.key}/300`)!;
  const base = cost(saxesSame);
  console.log('\n| contestant | instructions per byte | × saxes (fewer is faster) |');
  console.log('|---|---|---|');
  for (const c of contestants) console.log(`| ${c.name} | ${(cost(c) / (mb * 1e6)).toFixed(1)} | ${(base / cost(c)).toFixed(3)} |`);
}

const childArg = args.get('child');
if (childArg !== undefined) child(childArg, args.get('file')!, Number(args.get('warm') ?? 500), Number(args.get('n') ?? Infinity), Number(args.get('reads') ?? Infinity));
else if (args.has('callgrind')) await callgrind(ensureStream());
else timing(ensureStream());
