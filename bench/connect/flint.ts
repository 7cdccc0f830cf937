// Flint contender: the real AccountService (electron/main/accounts) as the app uses it, bundled
// by run.mjs with esbuild into bench/.data/connect-flint.mjs and run as its own process.
// The clock runs from login() to the roster.changed event that carries the full roster.
//
// Config: env BENCH_CONFIG = { host, port, domain, user, pass, caPath, expect }.
// Prints one JSON line: { ms, cpuMs, items, phases } (cpuMs: this process's CPU time in the window).
//
// BENCH_FLINT_DATA_DIR: use (and keep) this profile directory instead of a fresh one, so the
// roster saved by the previous run is the cache a returning user has: the roster get then carries
// its XEP-0237 version and the server answers "unchanged" with an empty result.
//
// Trust: by default no extraCa — the test CA reaches Node's default store through
// NODE_EXTRA_CA_CERTS (as for @xmpp/client), so Flint takes the path a real account takes (system
// store, no `ca` option). BENCH_FLINT_EXTRA_CA=1 passes it as AccountService `extraCa` instead
// (the tests'/demo's path), to measure what that costs.
//
// Phases come from connection.changed events (connecting → authenticating → online) plus
// wraps that only record timestamps: net.connect ('tcp': connected), tls.connect
// ('tlsHandshakeStart' / 'tlsHandshakeDone': the STARTTLS handshake, before our certificate
// checks), Connection.tlsStarted ('tls': certificate accepted), the first and the last input chunk
// of the roster result, and the moment the roster result reaches Connection.stanza (parsed, before
// the roster module runs). 'online' (the 'bind' mark) is reported once the roster get is out.
//
// Diagnostics (not used by run.mjs):
//   BENCH_FLINT_MARKS=1          also mark every input chunk and every stanza.
//   BENCH_FLINT_WINDOW_PROFILE=F write a CPU profile of the measured window only to F (100 µs
//                                sampling; it carries t0 and the marks, so profile-summary.mjs can
//                                cut it by phase: --from=rosterParsed --to=roster). Set it in the
//                                environment of run.mjs, with --profile for readable names.
import fs from 'node:fs';
import { Session as InspectorSession } from 'node:inspector';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { Connection } from '../../electron/core/connection';
import type { CoreEvent } from '../../electron/core/events';
import type { XmlElement } from '../../electron/core/xml/element';
import { StreamParser } from '../../electron/core/xml/stream-parser';
import { AccountService } from '../../electron/main/accounts/account-service';
import type { KeyStore } from '../../electron/main/accounts/keystore';

interface Config {
  host: string;
  port: number;
  domain: string;
  user: string;
  pass: string;
  caPath: string;
  expect: number;
}

const cfg = JSON.parse(process.env.BENCH_CONFIG ?? '{}') as Config;

// remember: false never touches it; it exists because AccountService requires one.
const memoryKeyStore: KeyStore = {
  isAvailable: () => true,
  encrypt: (plain) => new TextEncoder().encode(plain),
  decrypt: (sealed) => new TextDecoder().decode(sealed),
};

let t0 = 0;
let t0Us = 0;
const phases: Record<string, number> = {};
const mark = (name: string): void => {
  if (phases[name] === undefined) phases[name] = +(performance.now() - t0).toFixed(2);
};

// Time inside StreamParser.write: parsing plus the synchronous handling of each stanza it
// completes (engine, modules, AccountService, this listener) — i.e. all CPU spent on input.
let feedMs = 0;
// Roster timeline: the first chunk of the roster result (the first one after the bind result that
// names the roster namespace) and the chunk that completed it.
let bindChunkDone = false;
let chunkStart = 0;
// BENCH_FLINT_MARKS=1: also mark every input chunk (start and end of its handling) and every
// stanza as it reaches the connection.
const DETAIL = process.env.BENCH_FLINT_MARKS === '1';
let chunkCount = 0;
const write = StreamParser.prototype.write;
StreamParser.prototype.write = function (this: StreamParser, chunk: string): void {
  chunkStart = performance.now();
  if (bindChunkDone && phases.rosterFirstChunk === undefined && chunk.includes('jabber:iq:roster')) mark('rosterFirstChunk');
  const n = ++chunkCount;
  if (DETAIL) mark(`chunk${n}`);
  try {
    write.call(this, chunk);
  } finally {
    if (DETAIL) mark(`chunk${n}end`);
    feedMs += performance.now() - chunkStart;
    if (phases.bind !== undefined) bindChunkDone = true;
  }
};
// STARTTLS: when the handshake starts (after <proceed/>) and when OpenSSL finishes it, before
// the transport's certificate checks ('tls' is after them).
const netConnect = net.connect;
(net as { connect: typeof net.connect }).connect = function (this: unknown, ...args: unknown[]): net.Socket {
  const sock = (netConnect as (...a: unknown[]) => net.Socket).apply(this, args);
  sock.prependOnceListener('connect', () => mark('tcp'));
  return sock;
} as typeof net.connect;
const tlsConnect = tls.connect;
(tls as { connect: typeof tls.connect }).connect = function (this: unknown, ...args: unknown[]): tls.TLSSocket {
  mark('tlsHandshakeStart');
  const sock = (tlsConnect as (...a: unknown[]) => tls.TLSSocket).apply(this, args);
  sock.prependOnceListener('secureConnect', () => mark('tlsHandshakeDone'));
  return sock;
} as typeof tls.connect;
syncBuiltinESMExports(); // the transport's `import * as tls` sees the wrapper
const tlsStarted = Connection.prototype.tlsStarted;
Connection.prototype.tlsStarted = function (this: Connection, ...args: Parameters<Connection['tlsStarted']>): void {
  mark('tls');
  tlsStarted.apply(this, args);
};
let stanzaCount = 0;
const stanza = Connection.prototype.stanza;
Connection.prototype.stanza = function (this: Connection, el: XmlElement): void {
  if (DETAIL) mark(`in:${el.name}${++stanzaCount}`);
  if (el.name === 'iq' && el.child('query', 'jabber:iq:roster') && el.attr('type') === 'result') {
    if (phases.rosterLastChunk === undefined) phases.rosterLastChunk = +(chunkStart - t0).toFixed(2);
    mark('rosterParsed');
  }
  stanza.call(this, el);
};

/**
 * BENCH_FLINT_WINDOW_PROFILE=FILE: a V8 CPU profile of the measured window only (login() to the
 * roster), sampled every 100 µs — `node --cpu-prof` covers the whole process, start-up included.
 */
async function startProfiler(): Promise<(file: string) => Promise<void>> {
  const session = new InspectorSession();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) => session.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 100 });
  await post('Profiler.start');
  return async (file) => {
    const { profile } = (await post('Profiler.stop')) as { profile: object };
    // V8's sample times and process.hrtime are both CLOCK_MONOTONIC (µs): t0 in the same units,
    // so the profile can be cut at the phase marks.
    fs.writeFileSync(file, JSON.stringify({ ...profile, t0Us: t0Us, phases }));
    session.disconnect();
  };
}

function fail(e: unknown): never {
  process.stderr.write(`flint: ${(e as Error)?.stack ?? String(e)}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  // Normally a fresh profile per run: no roster cache, so the whole roster comes over the wire as
  // for the others.
  const keep = process.env.BENCH_FLINT_DATA_DIR;
  const dataDir = keep ?? fs.mkdtempSync(path.join(os.tmpdir(), 'flint-bench-'));
  if (!keep) process.on('exit', () => fs.rmSync(dataDir, { recursive: true, force: true }));
  const service = new AccountService({
    dataDir,
    keyStore: memoryKeyStore,
    appVersion: '0.0.0-bench',
    extraCa: process.env.BENCH_FLINT_EXTRA_CA === '1' ? [fs.readFileSync(cfg.caPath, 'utf8')] : undefined,
  });

  const rosterIn = new Promise<{ ms: number; items: number }>((resolve, reject) => {
    service.subscribe((e: CoreEvent) => {
      if (e.type === 'connection.changed') {
        const s = e.state.status;
        if (s === 'connecting') mark('connecting');
        else if (s === 'authenticating') mark('sasl');
        else if (s === 'online') mark('bind');
        else if (s === 'failed' || s === 'reconnecting') reject(new Error(`connection ${s}: ${e.state.error?.message ?? ''}`));
      } else if (e.type === 'roster.changed' && e.replace) {
        const ms = performance.now() - t0;
        mark('roster');
        resolve({ ms, items: e.upserted.length });
      }
    });
  });

  const profiler = process.env.BENCH_FLINT_WINDOW_PROFILE ? await startProfiler() : undefined;
  t0 = performance.now();
  t0Us = Number(process.hrtime.bigint() / 1000n);
  const cpu0 = process.cpuUsage();
  await service.login({
    settings: { jid: `${cfg.user}@${cfg.domain}`, tlsMode: 'starttls', host: cfg.host, port: cfg.port },
    password: cfg.pass,
    remember: false,
  });
  const timeout = setTimeout(() => fail(new Error('no roster within 60 s')), 60_000);
  const { ms, items } = await rosterIn;
  const cpu = process.cpuUsage(cpu0);
  clearTimeout(timeout);
  if (profiler) await profiler(process.env.BENCH_FLINT_WINDOW_PROFILE!);
  // dispose(): sign out and write the roster cache now (it is otherwise saved 500 ms later).
  await Promise.race([service.dispose(), new Promise((r) => setTimeout(r, 1_000))]);
  process.stdout.write(`${JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000, items, phases: { ...phases, feedMs: +feedMs.toFixed(2) } })}\n`);
  process.exit(0);
}

main().catch(fail);
