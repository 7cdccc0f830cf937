// One Flint session in its own process for the transfer benchmark (bundled by run.mjs with esbuild):
// the real engine and TransferService. JSON lines on stdout, commands on stdin.
//   events:   {event:'online', jid} {event:'sent', id, ms, method, transport, bytes, cpu}
//             {event:'received', ms, path, bytes, transport, cpu} {event:'slot', put, headers} {event:'failed', error}
//   commands: {cmd:'send', to, path, method, transport} {cmd:'slot', name, size} {cmd:'stop'}
// Incoming offers are accepted at once into BENCH_FOLDER.
import { readdirSync, readFileSync } from 'node:fs';
import readline from 'node:readline';
import { FlintPeer } from '../../electron/main/transfers/testing/flint-peer';
import type { UploadApi } from '../../electron/core/modules';
import { setHashThreadMinBytes, setHashThreadMinCores } from '../../electron/main/transfers/hash-pool';

const cfg = JSON.parse(process.env.BENCH_CONFIG ?? '{}') as {
  jid: string; password: string; resource: string; port: number; caPem: string; folder: string; direct: string[]; useProxy: boolean;
  ibb?: { blockSize?: number; window?: number };
  /**
   * The sender's SHA-256, A/B against the app's default ('auto': a thread for files of 64 MiB and
   * more on machines with more than two cores): 'inline' on the thread moving the bytes whatever the
   * size, 'thread' on a worker thread whatever the number of cores.
   */
  hashThread?: 'auto' | 'inline' | 'thread';
};
const out = (o: object) => process.stdout.write(`${JSON.stringify(o)}\n`);
if (cfg.hashThread === 'inline') setHashThreadMinBytes(Infinity);
if (cfg.hashThread === 'thread') setHashThreadMinCores(1);

const peer = await FlintPeer.connect({
  jid: cfg.jid,
  password: cfg.password,
  resource: cfg.resource,
  host: '127.0.0.1',
  port: cfg.port,
  caPem: cfg.caPem,
  transfers: { directAddresses: cfg.direct, useProxy: cfg.useProxy, ...(cfg.ibb ? { ibb: cfg.ibb } : {}), http: { allowHttp: true }, progressIntervalMs: process.env.BENCH_TRACE === '1' ? 100 : 1000, timeouts: { offer: 60_000, connect: 5_000, idle: 60_000 } },
});
const offeredAt = new Map<string, number>();
// CPU time of this process (all threads, user + system) from the offer or the send command on.
let cpu0 = process.cpuUsage();
/**
 * Linux scheduler figures of all our threads (/proc/self/task/N/schedstat: ns on a CPU, ns runnable
 * but waiting for one): the wait tells a run starved of CPU by other processes from one whose two
 * ends wait for each other.
 */
function schedstat(): { run: number; wait: number } | undefined {
  try {
    let run = 0;
    let wait = 0;
    for (const t of readdirSync('/proc/self/task')) {
      const [r, w] = readFileSync(`/proc/self/task/${t}/schedstat`, 'utf8').split(' ').map(Number);
      run += r!;
      wait += w!;
    }
    return { run, wait };
  } catch {
    return undefined;
  }
}
let sched0 = schedstat();
const schedSince = () => {
  const now = schedstat();
  return now && sched0 ? { runS: +((now.run - sched0.run) / 1e9).toFixed(2), waitS: +((now.wait - sched0.wait) / 1e9).toFixed(2) } : undefined;
};
// BENCH_TRACE=1: each state change and progress event with a wall-clock time, on stderr (phases of a run).
const trace = process.env.BENCH_TRACE === '1';
peer.transfers.subscribe((e) => {
  if (trace && e.type !== 'transfer.progress') process.stderr.write(`${(performance.timeOrigin + performance.now()).toFixed(1)} ${cfg.jid} ${e.type} ${'transfer' in e ? `${e.transfer.state} ${e.transfer.bytes}` : ''}\n`);
  if (trace && e.type === 'transfer.progress') process.stderr.write(`${(performance.timeOrigin + performance.now()).toFixed(1)} ${cfg.jid} progress ${e.bytes}\n`);
  if (e.type === 'transfer.added' && e.transfer.direction === 'in') {
    offeredAt.set(e.transfer.id, performance.now());
    cpu0 = process.cpuUsage();
    sched0 = schedstat();
    void peer.transfers.accept(e.transfer.id, cfg.folder);
  }
  if (e.type === 'transfer.updated' && e.transfer.direction === 'in' && ['done', 'failed', 'cancelled'].includes(e.transfer.state)) {
    const t = e.transfer;
    if (t.state === 'done') out({ event: 'received', ms: performance.now() - offeredAt.get(t.id)!, path: t.path, bytes: t.bytes, transport: t.transport, cpu: process.cpuUsage(cpu0), sched: schedSince() });
    else out({ event: 'failed', error: t.error });
  }
});
out({ event: 'online', jid: peer.jid });

const stop = () => void peer.close().then(() => process.exit(0));
const commands = readline.createInterface({ input: process.stdin });
// The runner ends stdin to stop us: leave cleanly (a --cpu-prof profile is written on a normal exit).
commands.on('close', stop);
commands.on('line', (line) => {
  const cmd = JSON.parse(line) as { cmd: string; to?: string; path?: string; method?: 'jingle' | 'si' | 'upload'; transport?: 'socks5' | 'ibb'; name?: string; size?: number };
  if (cmd.cmd === 'send') {
    const t0 = performance.now();
    cpu0 = process.cpuUsage();
    sched0 = schedstat();
    void peer.transfers.send(cmd.to!, cmd.path!, { method: cmd.method, transport: cmd.transport }).then(async (t) => {
      const res = await peer.settled(t.id, 600_000);
      if (res.state === 'done') out({ event: 'sent', id: t.id, ms: performance.now() - t0, method: res.method, transport: res.transport, bytes: res.bytes, cpu: process.cpuUsage(cpu0), sched: schedSince() });
      else out({ event: 'failed', error: res.error });
    });
  } else if (cmd.cmd === 'slot') {
    void peer.api<UploadApi>('xep0363-upload').requestSlot({ name: cmd.name!, size: cmd.size! }).then((s) => out({ event: 'slot', put: s.putUrl, headers: s.headers }));
  } else if (cmd.cmd === 'stop') {
    stop();
  }
});
