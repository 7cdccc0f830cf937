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
// prototype wraps that only record timestamps: Connection.tlsStarted (STARTTLS done), the first
// and the last input chunk of the roster result, and the moment the roster result reaches
// Connection.stanza (parsed, before the roster module runs).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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
const phases: Record<string, number> = {};
const mark = (name: string): void => {
  if (phases[name] === undefined) phases[name] = +(performance.now() - t0).toFixed(2);
};

// Time inside StreamParser.write: parsing plus the synchronous handling of each stanza it
// completes (engine, modules, AccountService, this listener) — i.e. all CPU spent on input.
let feedMs = 0;
// Roster timeline: the first chunk after the one that carried the bind result (the roster get
// goes out while that one is handled) and the chunk that completed the roster result.
let bindChunkDone = false;
let chunkStart = 0;
const write = StreamParser.prototype.write;
StreamParser.prototype.write = function (this: StreamParser, chunk: string): void {
  chunkStart = performance.now();
  if (bindChunkDone) mark('rosterFirstChunk');
  try {
    write.call(this, chunk);
  } finally {
    feedMs += performance.now() - chunkStart;
    if (phases.bind !== undefined) bindChunkDone = true;
  }
};
const tlsStarted = Connection.prototype.tlsStarted;
Connection.prototype.tlsStarted = function (this: Connection, ...args: Parameters<Connection['tlsStarted']>): void {
  mark('tls');
  tlsStarted.apply(this, args);
};
const stanza = Connection.prototype.stanza;
Connection.prototype.stanza = function (this: Connection, el: XmlElement): void {
  if (el.name === 'iq' && el.child('query', 'jabber:iq:roster') && el.attr('type') === 'result') {
    if (phases.rosterLastChunk === undefined) phases.rosterLastChunk = +(chunkStart - t0).toFixed(2);
    mark('rosterParsed');
  }
  stanza.call(this, el);
};

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

  t0 = performance.now();
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
  // dispose(): sign out and write the roster cache now (it is otherwise saved 500 ms later).
  await Promise.race([service.dispose(), new Promise((r) => setTimeout(r, 1_000))]);
  process.stdout.write(`${JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000, items, phases: { ...phases, feedMs: +feedMs.toFixed(2) } })}\n`);
  process.exit(0);
}

main().catch(fail);
