// Archive catch-up benchmark body (bundled by run.mjs): N messages land in the reader's XEP-0313
// archive while Flint is signed out (another resource of the reader stays online, so nothing is
// held as an offline message: the archive is the only way back). Then, against the same archive:
//   Flint   — AccountService login; timed from login() until the login's catch-up has stored every
//             message (HistoryBridge.catchUp: RSM pages forward from the last id stored, the next
//             page asked for as soon as a page's <fin/> arrives, pages committed in order);
//   slixmpp — slixmpp_mam.py: connect and iterate the whole archive (count only, nothing stored).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { AccountService } from '../../electron/main/accounts/account-service';
import type { HistoryBridge } from '../../electron/main/accounts/history-bridge';
import type { KeyStore } from '../../electron/main/accounts/keystore';
import { MAM_MODULE, type MamApi } from '../../electron/core/modules';
import { connectRawClient } from '../../test/harness/raw-client';
import { startProsody } from '../../test/harness/prosody';

const D = 'example.test';
const keyStore: KeyStore = { isAvailable: () => true, encrypt: (s) => new TextEncoder().encode(s), decrypt: (b) => new TextDecoder().decode(b) };
const PYTHON = '/usr/bin/python3';

/** Where a Flint run's time went (MAM queries wrapped as the bridge gets them). */
export interface CatchUpTrace {
  queries: number;
  /** login() until the first archive query is sent. */
  loginMs: number;
  /** Sum over queries of send → <fin/> (the server's part, and parsing the results as they stream in). */
  queryMs: number;
  /** Sum of the intervals with no query in flight between the first query and the end (our part: storing the page, then asking again). */
  idleMs: number;
  /** Last <fin/> → catch-up done (the last page committed). */
  tailMs: number;
  /** CPU time of this process (Flint) and of Prosody during the run. */
  flintCpuMs: number;
  prosodyCpuMs: number;
}

/** --trace-server: Prosody's view of one client's connection (strace of its socket calls). */
export interface ServerView {
  /** Time Prosody had answered everything and waited for the client's next query (sum of each last write → next read). */
  waitingForClientMs: number;
  /** Median of those waits (the client's reaction to a page, as the server sees it). */
  medianWaitMs: number;
}

export interface CatchUpResult {
  messages: number;
  /** Where Prosody keeps the archive (test/harness/prosody.ts archiveStorage). */
  storage: 'internal' | 'sql';
  flint: ({ ms: number; perSec: number; stored: number; server?: ServerView } & CatchUpTrace)[];
  slixmpp: { ms: number; perSec: number; count: number; cpuMs: number; prosodyCpuMs: number; server?: ServerView }[];
}

/**
 * Starts strace on Prosody (socket reads and writes, accepts and closes, epoch timestamps) and
 * returns a function that stops it and tells, for a time window, what the server saw of the
 * connection that carried most of that window's traffic.
 */
function traceServer(pid: number, file: string) {
  const st = spawn('strace', ['-ttt', '-e', 'trace=read,write,writev,recvfrom,sendto,accept,accept4,close', '-p', String(pid), '-o', file], { stdio: ['ignore', 'ignore', 'pipe'] });
  // strace says "Process N attached" on stderr once it traces.
  const attached = new Promise<void>((resolve, reject) => {
    let err = '';
    st.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.includes('attached')) resolve();
    });
    st.once('error', reject);
    st.once('exit', (code) => reject(new Error(`strace exited with ${code}: ${err}`)));
  });
  const stop = async () => {
    st.kill('SIGINT');
    await new Promise((r) => st.once('exit', r));
    interface Conn { start: number; end: number; out: number; ev: [number, 'r' | 'w'][] }
    const open = new Map<number, Conn>();
    const conns: Conn[] = [];
    const line = /^([\d.]+) (read|write|writev|recvfrom|sendto|accept4?|close)\((\d+)?.*= (-?\d+)/;
    for (const l of readFileSync(file, 'utf8').split('\n')) {
      const m = line.exec(l);
      if (!m) continue;
      const t = Number(m[1]) * 1000;
      const op = m[2]!;
      const r = Number(m[4]);
      if (op.startsWith('accept')) {
        if (r >= 0) open.set(r, { start: t, end: t, out: 0, ev: [] });
        continue;
      }
      const fd = Number(m[3]);
      const c = open.get(fd);
      if (!c) continue;
      if (op === 'close') {
        c.end = t;
        conns.push(c);
        open.delete(fd);
      } else if (r > 0) {
        const w = op === 'write' || op === 'writev' || op === 'sendto';
        if (w) c.out += r;
        c.ev.push([t, w ? 'w' : 'r']);
      }
    }
    return (from: number, to: number): ServerView | undefined => {
      const c = conns.filter((x) => x.start < to && x.end > from).sort((a, b) => b.out - a.out)[0];
      if (!c) return undefined;
      const waits: number[] = [];
      let lastWrite: number | undefined;
      let lastRead: number | undefined;
      for (const [t, k] of c.ev) {
        if (k === 'w') lastWrite = t;
        else {
          if (lastWrite !== undefined && (lastRead === undefined || lastWrite > lastRead)) waits.push(t - lastWrite);
          lastRead = t;
        }
      }
      waits.sort((a, b) => a - b);
      return { waitingForClientMs: Math.round(waits.reduce((a, b) => a + b, 0)), medianWaitMs: Math.round((waits[Math.floor(waits.length / 2)] ?? 0) * 10) / 10 };
    };
  };
  return attached.then(() => stop);
}

/** utime + stime of a process, ms (Linux /proc; CLK_TCK = 100). */
function procCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

/** Wraps the MAM API the bridge asks for, to time each query and the gaps between them. */
function traceQueries(bridge: HistoryBridge) {
  const t = { inFlight: 0, queries: 0, firstSend: 0, lastFin: 0, queryMs: 0, idleMs: 0, idleSince: 0 };
  const deps = (bridge as unknown as { deps: { api<T>(name: string): T | undefined } }).deps;
  const api = deps.api.bind(deps);
  deps.api = <T>(name: string): T | undefined => {
    const real = api<T>(name);
    if (name !== MAM_MODULE || !real) return real;
    const mam = real as unknown as MamApi;
    return {
      async query(opts, timeoutMs) {
        const s = performance.now();
        if (t.queries++ === 0) t.firstSend = s;
        if (t.inFlight++ === 0 && t.idleSince > 0) t.idleMs += s - t.idleSince;
        try {
          return await mam.query(opts, timeoutMs);
        } finally {
          const e = performance.now();
          t.queryMs += e - s;
          t.lastFin = e;
          if (--t.inFlight === 0) t.idleSince = e;
        }
      },
    } satisfies MamApi as unknown as T;
  };
  return t;
}

const bridgeOf = (a: AccountService) => (a as unknown as { history: HistoryBridge }).history;

export async function runBench(opts: { count: number; runs: number; slixmppScript: string; traceServer?: boolean; storage: 'internal' | 'sql' }): Promise<CatchUpResult> {
  // Stock server settings otherwise (max_archive_query_results stays 50), the same for both clients.
  const server = await startProsody({ domain: D, archiveStorage: opts.storage });
  const tmp = mkdtempSync(join(tmpdir(), 'flint-mam-'));
  const prosodyPid = Number(readFileSync(join(server.dir, 'prosody.pid'), 'utf8').trim());
  try {
    await server.registerMany(['sender', 'reader'].map((user) => ({ user, pass: `${user}-pw` })));
    const caPath = join(tmp, 'ca.pem');
    writeFileSync(caPath, server.caCertPem);
    const login = (flint: AccountService) =>
      flint.login({ settings: { jid: `reader@${D}`, resource: 'bench', host: '127.0.0.1', port: server.c2sPort, tlsMode: 'starttls' }, password: 'reader-pw', remember: false });
    // Settles when the next catch-up (the one login() starts) has finished: a hook, not a polling
    // timer, whose wake-ups would count as Flint's CPU and take a core from Prosody over a long run.
    const nextCatchUp = (flint: AccountService): Promise<void> => {
      const bridge = bridgeOf(flint);
      const catchUp = bridge.catchUp.bind(bridge);
      return new Promise<void>((resolve, reject) => {
        bridge.catchUp = () => {
          bridge.catchUp = catchUp;
          const p = catchUp();
          p.then(resolve, reject);
          return p;
        };
      });
    };

    // Each Flint run starts from a profile that anchored on the empty archive (its first login).
    const profiles: string[] = [];
    for (let i = 0; i < opts.runs; i++) {
      const dir = join(tmp, `profile-${i}`);
      profiles.push(dir);
      const flint = new AccountService({ dataDir: dir, keyStore, appVersion: 'bench', extraCa: [server.caCertPem] });
      const caughtUp = nextCatchUp(flint);
      await login(flint);
      await caughtUp;
      await flint.dispose();
    }

    // Fill the archive; the reader's keeper resource is online, so the server delivers and archives.
    const keeper = await connectRawClient({ port: server.c2sPort, domain: D, caPem: server.caCertPem, user: 'reader', pass: 'reader-pw', resource: 'keeper' });
    const sender = await connectRawClient({ port: server.c2sPort, domain: D, caPem: server.caCertPem, user: 'sender', pass: 'sender-pw', resource: 'fill', presence: false });
    for (let i = 0; i < opts.count; i += 500) {
      let xml = '';
      for (let j = i; j < Math.min(opts.count, i + 500); j++) xml += `<message type='chat' to='reader@${D}' id='a-${j}'><body>archived ${j} — 归档消息</body></message>`;
      sender.send(xml);
      // Drain the keeper as we go, so its socket does not back the server up.
      await keeper.readUntil(/[\s\S]*<\/message>/, 600_000).catch(() => '');
    }
    sender.send("<iq type='get' id='done'><ping xmlns='urn:xmpp:ping'/></iq>");
    await sender.readUntil(/id=["']done["']/, 600_000);
    await sender.close();
    await keeper.close();

    const result: CatchUpResult = { messages: opts.count, storage: opts.storage, flint: [], slixmpp: [] };
    const stopTrace = opts.traceServer ? await traceServer(prosodyPid, join(tmp, 'prosody.strace')) : undefined;
    const windows: { flint: [number, number][]; slixmpp: [number, number][] } = { flint: [], slixmpp: [] };
    const flintRun = async (i: number) => {
      // Flint: from login() to every archived message committed.
      const flint = new AccountService({ dataDir: profiles[i]!, keyStore, appVersion: 'bench', extraCa: [server.caCertPem] });
      const caughtUp = nextCatchUp(flint);
      const trace = traceQueries(bridgeOf(flint));
      const cpu0 = process.cpuUsage();
      const prosody0 = procCpuMs(prosodyPid);
      const t0 = performance.now();
      const wall0 = Date.now();
      await login(flint);
      await caughtUp;
      const t1 = performance.now();
      windows.flint.push([wall0, Date.now()]);
      const ms = t1 - t0;
      const cpu = process.cpuUsage(cpu0);
      const prosodyCpuMs = procCpuMs(prosodyPid) - prosody0;
      const stored = flint.searchHistory('归档消息', 500).length > 0 ? countStored(bridgeOf(flint)) : 0;
      await flint.dispose();
      result.flint.push({
        ms: Math.round(ms),
        perSec: Math.round((opts.count / ms) * 1000),
        stored,
        queries: trace.queries,
        loginMs: Math.round(trace.firstSend - t0),
        queryMs: Math.round(trace.queryMs),
        idleMs: Math.round(trace.idleMs),
        tailMs: Math.round(t1 - trace.lastFin),
        flintCpuMs: Math.round((cpu.user + cpu.system) / 1000),
        prosodyCpuMs,
      });
    };
    const slixmppRun = async (i: number) => {
      // slixmpp: the same archive, fetched whole.
      const prosodyS0 = procCpuMs(prosodyPid);
      const wall0 = Date.now();
      const s = await new Promise<{ ms: number; count: number; cpuMs: number }>((resolve, reject) => {
        const cfg = { host: '127.0.0.1', port: server.c2sPort, domain: D, user: 'reader', pass: 'reader-pw', caPath, resource: `slix${i}` };
        const child = spawn(PYTHON, [opts.slixmppScript], { env: { ...process.env, BENCH_CONFIG: JSON.stringify(cfg) }, stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as { ms: number; count: number; cpuMs: number }) : reject(new Error(`slixmpp exited with ${code}`))));
      });
      windows.slixmpp.push([wall0, Date.now()]);
      result.slixmpp.push({ ms: Math.round(s.ms), perSec: Math.round((s.count / s.ms) * 1000), count: s.count, cpuMs: Math.round(s.cpuMs), prosodyCpuMs: procCpuMs(prosodyPid) - prosodyS0 });
    };
    // Pairs in alternating order (Flint first, then slixmpp first…), so neither always runs on a warmer server.
    for (let i = 0; i < opts.runs; i++) {
      if (i % 2 === 0) {
        await flintRun(i);
        await slixmppRun(i);
      } else {
        await slixmppRun(i);
        await flintRun(i);
      }
      const f = result.flint[i]!;
      const sx = result.slixmpp[i]!;
      console.error(`${opts.storage}, pair ${i + 1}: Flint ${f.ms} ms (${f.perSec} msg/s, ${f.stored} stored; idle between queries ${f.idleMs} ms), slixmpp ${sx.ms} ms (${sx.perSec} msg/s) — ratio ${(sx.ms / f.ms).toFixed(2)}`);
    }
    if (stopTrace) {
      const view = await stopTrace();
      result.flint.forEach((r, j) => (r.server = view(...windows.flint[j]!)));
      result.slixmpp.forEach((r, j) => (r.server = view(...windows.slixmpp[j]!)));
      result.flint.forEach((f, j) =>
        console.error(`${opts.storage}, pair ${j + 1}, as Prosody saw it: waiting for Flint ${f.server?.waitingForClientMs} ms (median ${f.server?.medianWaitMs} ms per page), for slixmpp ${result.slixmpp[j]!.server?.waitingForClientMs} ms (median ${result.slixmpp[j]!.server?.medianWaitMs} ms)`),
      );
    }
    return result;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    await server.stop({ graceful: false });
  }
}

function countStored(bridge: HistoryBridge): number {
  return bridge.store.db.prepare("SELECT count(*) FROM messages WHERE body LIKE 'archived %'").pluck().get() as number;
}
