// XEP-0095/0096 stream initiation in main, both directions (what Spark and Psi speak).
// Sending: offer with SOCKS5 and IBB; over SOCKS5 we offer our direct streamhosts and the server's
// proxy; if no SOCKS5 connection comes about we try IBB on the same sid (a Flint receiver
// pre-authorizes both; others may refuse, and then the caller falls back to another method).
// Receiving: on accept the sink is opened first, then both bytestreams are pre-authorized for
// exactly that peer and sid, then the offer is answered.
import type { FileOffer } from '../../core/events';
import { IqError } from '../../core/module';
import { IBB_MODULE, IBB_NS, type IbbApi } from '../../core/modules/xep0047-ibb';
import { SOCKS5_MODULE, type Socks5Api, type StreamHost } from '../../core/modules/xep0065-socks5';
import { SI_MODULE, SiDeclinedError, type SiApi, type SiMethod } from '../../core/modules/xep0095-si';
import { BYTESTREAMS_NS } from '../../core/modules/xep0065-socks5/parse';
import { ibbIntoSink, receiveFromSocket, sendOverIbb, sendOverSocket, type StreamIo } from './bytestreams';
import { asTransferError, transferError } from './errors';
import { FileSink, type SinkResult } from './file-sink';
import type { Socks5Server } from './socks5';
import { socks5Connect } from './socks5';
import { connectFirst } from './streamhosts';
import type { TransferTransport } from './types';
import { requireApi, type OutgoingFile, type RunContext } from './upload-transfer';

export interface StreamRunContext extends RunContext {
  /** Our SOCKS5 server for direct candidates (started on first use); undefined when we offer none. */
  direct(): Promise<Socks5Server | undefined>;
  /** The server's SOCKS5 proxies to offer ([] when the user turned them off). */
  proxies(s5: Socks5Api): Promise<StreamHost[]>;
  setTransport(t: TransferTransport): void;
  setState(s: 'waiting' | 'connecting' | 'transferring'): void;
  timeouts: { offer: number; connect: number; idle: number };
  /** XEP-0047 block size we propose and blocks kept in flight. */
  ibb: { blockSize: number; window: number };
  newSid(): string;
}

const io = (ctx: StreamRunContext): StreamIo => ({ signal: ctx.signal, progress: ctx.progress, idleTimeoutMs: ctx.timeouts.idle });

/** The streamhosts to offer for `sid`: ours (direct) first, then the server's proxies; and the wait for a direct connection. */
export async function offerHosts(ctx: StreamRunContext, s5: Socks5Api, dst: string, alsoDst: string[] = []) {
  const hosts: StreamHost[] = [];
  const direct = await ctx.direct();
  const waits = direct ? [dst, ...alsoDst].map((d) => direct.expect(d, ctx.timeouts.offer)) : [];
  if (direct) for (const e of direct.endpoints) hosts.push({ jid: s5.jid, host: e.host, port: e.port });
  const proxies = await ctx.proxies(s5);
  hosts.push(...proxies);
  const directSocket = waits.length > 0 ? Promise.any(waits.map((w) => w.socket)) : undefined;
  directSocket?.catch(() => undefined);
  return { hosts, proxies, directSocket, cancel: () => waits.forEach((w) => w.cancel()) };
}

export async function sendBySi(ctx: StreamRunContext, to: string, file: OutgoingFile, transport: 'auto' | 'socks5' | 'ibb' = 'auto'): Promise<void> {
  const si = requireApi<SiApi>(ctx, SI_MODULE);
  const sid = ctx.newSid();
  ctx.setState('waiting');
  let method;
  try {
    const methods: SiMethod[] = transport === 'socks5' ? [BYTESTREAMS_NS] : transport === 'ibb' ? [IBB_NS] : [BYTESTREAMS_NS, IBB_NS];
    method = await si.offer(to, sid, { name: file.name, size: file.size, ...(file.desc ? { desc: file.desc } : {}) }, { mimeType: file.mediaType, timeoutMs: ctx.timeouts.offer, methods });
  } catch (e) {
    if (e instanceof SiDeclinedError) throw transferError('declined', 'the contact declined the file');
    if (e instanceof IqError) {
      if (e.condition === 'remote-server-timeout') throw transferError('timeout', 'the contact did not answer the offer');
      if (e.condition === 'service-unavailable' || e.condition === 'feature-not-implemented' || e.condition === 'bad-request') {
        throw transferError('unsupported', `the contact's client cannot receive this way (${e.condition})`);
      }
      throw transferError('connection-failed', `the offer failed (${e.condition})`);
    }
    throw e;
  }
  if (ctx.signal.aborted) throw ctx.signal.reason;
  ctx.setState('connecting');
  if (method === BYTESTREAMS_NS) {
    try {
      await sendSocks5(ctx, to, sid, file);
      return;
    } catch (e) {
      const err = asTransferError(e);
      if (ctx.signal.aborted || err.code !== 'connection-failed' || transport === 'socks5') throw err;
      // No SOCKS5 path: the same stream over IBB, if the receiver takes it.
    }
  }
  const ibb = requireApi<IbbApi>(ctx, IBB_MODULE);
  let out;
  try {
    out = await ibb.open(to, sid, ctx.ibb);
  } catch (e) {
    throw transferError('connection-failed', `no connection to the contact (in-band stream refused: ${e instanceof IqError ? e.condition : String(e)})`);
  }
  ctx.setTransport('ibb');
  ctx.setState('transferring');
  await sendOverIbb(out, file.path, file.size, io(ctx));
}

async function sendSocks5(ctx: StreamRunContext, to: string, sid: string, file: OutgoingFile): Promise<void> {
  const s5 = requireApi<Socks5Api>(ctx, SOCKS5_MODULE);
  const dst = s5.dstAddr(sid, s5.jid, to);
  const offer = await offerHosts(ctx, s5, dst);
  try {
    if (offer.hosts.length === 0) throw transferError('connection-failed', 'no SOCKS5 streamhost to offer');
    let used: string;
    try {
      used = await s5.request(to, sid, offer.hosts, ctx.timeouts.offer);
    } catch (e) {
      throw transferError('connection-failed', `the contact could not connect (${e instanceof IqError ? e.condition : String(e)})`);
    }
    let socket;
    if (used === s5.jid && offer.directSocket) {
      socket = await offer.directSocket;
      ctx.setTransport('socks5-direct');
    } else {
      const proxy = offer.proxies.find((p) => p.jid === used);
      if (!proxy) throw transferError('protocol', 'the contact named a streamhost we did not offer');
      socket = await socks5Connect({ host: proxy.host, port: proxy.port, dstAddr: dst, timeoutMs: ctx.timeouts.connect, signal: ctx.signal }).catch((e: unknown) => {
        throw transferError('connection-failed', `could not connect to the proxy: ${(e as Error).message}`);
      });
      try {
        await s5.activate(proxy.jid, sid, to);
      } catch (e) {
        socket.destroy();
        throw transferError('connection-failed', `the proxy refused to activate the stream (${e instanceof IqError ? e.condition : String(e)})`);
      }
      ctx.setTransport('socks5-proxy');
    }
    offer.cancel();
    ctx.setState('transferring');
    await sendOverSocket(socket, file.path, file.size, io(ctx));
  } finally {
    offer.cancel();
  }
}

/** Accepts an SI offer into `folder` and receives the file. */
export async function receiveBySi(ctx: StreamRunContext, offer: FileOffer, folder: string, maxSize: number): Promise<SinkResult> {
  const si = requireApi<SiApi>(ctx, SI_MODULE);
  const s5 = requireApi<Socks5Api>(ctx, SOCKS5_MODULE);
  const ibb = requireApi<IbbApi>(ctx, IBB_MODULE);
  const size = offer.size!;
  const sink = await FileSink.open({ folder, name: offer.name, expectedSize: size, maxSize });
  const withdraws: (() => void)[] = [];
  try {
    let resolveSocket!: (s: import('node:net').Socket) => void;
    const socketReady = new Promise<import('node:net').Socket>((r) => (resolveSocket = r));
    // XEP-0065: the requester is the sender, the target is us.
    const dst = s5.dstAddr(offer.sid, offer.from, s5.jid);
    withdraws.push(
      s5.expect(offer.from, offer.sid, async (hosts) => {
        ctx.setState('connecting');
        const { host, socket } = await connectFirst(hosts, { dstAddr: dst, peerJid: offer.from, perHostTimeoutMs: ctx.timeouts.connect, totalTimeoutMs: ctx.timeouts.connect * 2, signal: ctx.signal });
        ctx.setTransport(host.jid === offer.from ? 'socks5-direct' : 'socks5-proxy');
        resolveSocket(socket);
        return host;
      }),
    );
    const viaIbb = ibbIntoSink(sink, io(ctx));
    withdraws.push(ibb.expect(offer.from, offer.sid, viaIbb.sink), viaIbb.stop);
    const ibbStarted = viaIbb.started.then(() => 'ibb' as const);
    si.accept(offer.from, offer.sid);
    ctx.setState('connecting');
    const aborted = new Promise<never>((_, reject) => {
      if (ctx.signal.aborted) reject(ctx.signal.reason);
      ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true });
    });
    aborted.catch(() => undefined);
    const first = await Promise.race([socketReady, ibbStarted, aborted, timeout(ctx.timeouts.offer, 'the sender never started sending')]);
    if (first === 'ibb') {
      ctx.setTransport('ibb');
      ctx.setState('transferring');
      await Promise.race([viaIbb.ended, aborted]);
      // §2.3: the sender closed the session; before the last byte that means it gave up.
      if (sink.bytes < size) throw transferError('cancelled-by-peer', `the sender stopped after ${sink.bytes} of ${size} bytes`);
    } else {
      ctx.setState('transferring');
      await receiveFromSocket(first, sink, size, io(ctx));
    }
    return await sink.finish();
  } catch (e) {
    await sink.abort();
    throw e;
  } finally {
    for (const w of withdraws) w();
  }
}

function timeout(ms: number, message: string): Promise<never> {
  return new Promise((_, reject) => {
    const t = setTimeout(() => reject(transferError('timeout', message)), ms);
    t.unref?.();
  });
}
