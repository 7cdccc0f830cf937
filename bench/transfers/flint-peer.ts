// One Flint session in its own process for the transfer benchmark (bundled by run.mjs with esbuild):
// the real engine and TransferService. JSON lines on stdout, commands on stdin.
//   events:   {event:'online', jid} {event:'sent', id, ms, method, transport, bytes}
//             {event:'received', ms, path, bytes, transport} {event:'slot', put, headers} {event:'failed', error}
//   commands: {cmd:'send', to, path, method, transport} {cmd:'slot', name, size} {cmd:'stop'}
// Incoming offers are accepted at once into BENCH_FOLDER.
import readline from 'node:readline';
import { FlintPeer } from '../../electron/main/transfers/testing/flint-peer';
import type { UploadApi } from '../../electron/core/modules';

const cfg = JSON.parse(process.env.BENCH_CONFIG ?? '{}') as {
  jid: string; password: string; resource: string; port: number; caPem: string; folder: string; direct: string[]; useProxy: boolean;
  ibb?: { blockSize?: number; window?: number };
};
const out = (o: object) => process.stdout.write(`${JSON.stringify(o)}\n`);

const peer = await FlintPeer.connect({
  jid: cfg.jid,
  password: cfg.password,
  resource: cfg.resource,
  host: '127.0.0.1',
  port: cfg.port,
  caPem: cfg.caPem,
  transfers: { directAddresses: cfg.direct, useProxy: cfg.useProxy, ...(cfg.ibb ? { ibb: cfg.ibb } : {}), http: { allowHttp: true }, progressIntervalMs: 1000, timeouts: { offer: 60_000, connect: 5_000, idle: 60_000 } },
});
const offeredAt = new Map<string, number>();
peer.transfers.subscribe((e) => {
  if (e.type === 'transfer.added' && e.transfer.direction === 'in') {
    offeredAt.set(e.transfer.id, performance.now());
    void peer.transfers.accept(e.transfer.id, cfg.folder);
  }
  if (e.type === 'transfer.updated' && e.transfer.direction === 'in' && ['done', 'failed', 'cancelled'].includes(e.transfer.state)) {
    const t = e.transfer;
    if (t.state === 'done') out({ event: 'received', ms: performance.now() - offeredAt.get(t.id)!, path: t.path, bytes: t.bytes, transport: t.transport });
    else out({ event: 'failed', error: t.error });
  }
});
out({ event: 'online', jid: peer.jid });

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const cmd = JSON.parse(line) as { cmd: string; to?: string; path?: string; method?: 'jingle' | 'si' | 'upload'; transport?: 'socks5' | 'ibb'; name?: string; size?: number };
  if (cmd.cmd === 'send') {
    const t0 = performance.now();
    void peer.transfers.send(cmd.to!, cmd.path!, { method: cmd.method, transport: cmd.transport }).then(async (t) => {
      const res = await peer.settled(t.id, 600_000);
      if (res.state === 'done') out({ event: 'sent', id: t.id, ms: performance.now() - t0, method: res.method, transport: res.transport, bytes: res.bytes });
      else out({ event: 'failed', error: res.error });
    });
  } else if (cmd.cmd === 'slot') {
    void peer.api<UploadApi>('xep0363-upload').requestSlot({ name: cmd.name!, size: cmd.size! }).then((s) => out({ event: 'slot', put: s.putUrl, headers: s.headers }));
  } else if (cmd.cmd === 'stop') {
    void peer.close().then(() => process.exit(0));
  }
});
