// Which SOCKS5 streamhosts to offer, and trying the ones a peer offers (XEP-0065 §5.3.2 / XEP-0260
// §4 guidance): in the given order, a new attempt every 200 ms while earlier ones are still
// connecting (proxies a little later, so a direct path wins when there is one), the first handshake
// to succeed wins and the others are dropped, and the whole search is bounded in time.
import type net from 'node:net';
import os from 'node:os';
import type { StreamHost } from '../../core/modules/xep0065-socks5';
import { transferError } from './errors';
import { socks5Connect } from './socks5';

/** The machine's addresses worth offering as direct candidates: not loopback, not link-local. */
export function machineAddresses(): string[] {
  const out: string[] = [];
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.internal) continue;
      if (a.family === 'IPv6' && /^fe80:/i.test(a.address)) continue;
      out.push(a.address);
    }
  }
  return out;
}

export interface ConnectAttemptOptions {
  dstAddr: string;
  /** Whose direct candidates these are: hosts with another JID are proxies. */
  peerJid: string;
  perHostTimeoutMs: number;
  totalTimeoutMs: number;
  signal: AbortSignal;
}

/** Resolves with the first host whose SOCKS5 handshake succeeded, and its socket. */
export function connectFirst(hosts: StreamHost[], o: ConnectAttemptOptions): Promise<{ host: StreamHost; socket: net.Socket }> {
  return new Promise((resolve, reject) => {
    if (hosts.length === 0) return reject(transferError('connection-failed', 'no streamhost to connect to'));
    const aborter = new AbortController();
    const timers: NodeJS.Timeout[] = [];
    let failures = 0;
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      for (const t of timers) clearTimeout(t);
      o.signal.removeEventListener('abort', onAbort);
      fn();
    };
    const onAbort = () => {
      aborter.abort();
      finish(() => reject(o.signal.reason ?? transferError('cancelled', 'cancelled')));
    };
    o.signal.addEventListener('abort', onAbort, { once: true });
    timers.push(
      setTimeout(() => {
        aborter.abort();
        finish(() => reject(transferError('connection-failed', 'could not reach any of the offered streamhosts in time')));
      }, o.totalTimeoutMs),
    );
    let delay = 0;
    let sawProxy = false;
    hosts.forEach((host, i) => {
      if (host.jid !== o.peerJid && !sawProxy) {
        sawProxy = true;
        delay += 500;
      }
      const start = () => {
        if (settled) return;
        socks5Connect({ host: host.host, port: host.port, dstAddr: o.dstAddr, timeoutMs: o.perHostTimeoutMs, signal: aborter.signal }).then(
          (socket) => {
            if (settled) return socket.destroy();
            aborter.abort(); // the others lose
            finish(() => resolve({ host, socket }));
          },
          () => {
            if (++failures === hosts.length) finish(() => reject(transferError('connection-failed', 'none of the offered streamhosts could be reached')));
          },
        );
      };
      if (i === 0) start();
      else timers.push(setTimeout(start, (delay += 200)));
    });
  });
}
