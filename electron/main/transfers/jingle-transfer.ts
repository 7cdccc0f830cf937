// XEP-0234 Jingle file transfer in main, both roles, over XEP-0260 SOCKS5 (our direct candidates,
// the server's proxy, the peer's candidates — the better used candidate wins, §2.4) with XEP-0261
// IBB as fallback (transport-replace, XEP-0260 §2.6) or as the only transport when asked.
// The sender announces the SHA-256 after the data (XEP-0234 §7.1 checksum); the receiver checks it
// and ends the session with success, or media-error "hash mismatch" (and deletes the file).
import type net from 'node:net';
import type { FileOffer } from '../../core/events';
import { IBB_MODULE, type IbbApi } from '../../core/modules/xep0047-ibb';
import { SOCKS5_MODULE, type Socks5Api } from '../../core/modules/xep0065-socks5';
import {
  candidatePriority,
  JINGLE_MODULE,
  selectCandidate,
  type JingleAction,
  type JingleApi,
  type JingleReason,
  type JingleTransport,
  type S5bCandidate,
} from '../../core/modules/xep0234-jingle-ft';
import { isTrustedAlgo, pickHash, type FileHash } from '../../core/modules/xep0234-jingle-ft/hashes';
import { ibbIntoSink, receiveFromSocket, sendOverIbb, sendOverSocket, type StreamIo } from './bytestreams';
import { asTransferError, transferError, TransferError } from './errors';
import { FileSink, type SinkResult } from './file-sink';
import { JingleChannel } from './jingle-channel';
import { socks5Connect } from './socks5';
import type { StreamRunContext } from './si-transfer';
import { connectFirst } from './streamhosts';
import { requireApi, type OutgoingFile } from './upload-transfer';

const CONTENT_NAME = 'a-file-offer';
/** After the data: how long the sender waits for the receiver's verdict, and the receiver for the checksum. */
const VERDICT_TIMEOUT_MS = 60_000;
const CHECKSUM_TIMEOUT_MS = 15_000;

type Role = 'initiator' | 'responder';

interface Flow {
  ctx: StreamRunContext;
  api: JingleApi;
  s5: Socks5Api;
  ch: JingleChannel;
  sid: string;
  peer: string;
  role: Role;
  /** Aborted by the user's cancel or the peer's terminate. */
  signal: AbortSignal;
}

const io = (f: Flow): StreamIo => ({ signal: f.signal, progress: f.ctx.progress, idleTimeoutMs: f.ctx.timeouts.idle });
const isTransportInfo = (tsid: string) => (a: JingleAction) => a.action === 'transport-info' && a.contents.some((c) => c.s5bInfo?.sid === tsid);
const infoOf = (a: JingleAction) => a.contents.find((c) => c.s5bInfo)!.s5bInfo!;

/** Our side of an S5B transport: candidates (direct first, then proxies) and the sockets they may bring. */
async function ourS5b(ctx: StreamRunContext, s5: Socks5Api, peer: string, role: Role, tsid: string) {
  const initiator = role === 'initiator' ? s5.jid : peer;
  const responder = role === 'initiator' ? peer : s5.jid;
  // XEP-0260 §2.2: our dstaddr is SHA-1(SID + our JID + peer JID); Psi-style peers use
  // SHA-1(SID + initiator + responder) for direct candidates whoever offers them: accept both.
  const dstaddr = s5.dstAddr(tsid, s5.jid, peer);
  const alt = s5.dstAddr(tsid, initiator, responder);
  const candidates: S5bCandidate[] = [];
  const direct = await ctx.direct();
  const waits = direct ? [...new Set([dstaddr, alt])].map((d) => direct.expect(d, ctx.timeouts.offer)) : [];
  direct?.endpoints.forEach((e, i) => candidates.push({ cid: `d${i}${ctx.newSid().slice(0, 8)}`, host: e.host, port: e.port, jid: s5.jid, priority: candidatePriority('direct', 255 - i), type: 'direct' }));
  const proxies = await ctx.proxies(s5);
  proxies.forEach((p, i) => candidates.push({ cid: `p${i}${ctx.newSid().slice(0, 8)}`, host: p.host, port: p.port, jid: p.jid, priority: candidatePriority('proxy', 255 - i), type: 'proxy' }));
  const directSocket = waits.length > 0 ? Promise.any(waits.map((w) => w.socket)) : undefined;
  directSocket?.catch(() => undefined);
  return {
    transport: { kind: 's5b', sid: tsid, dstaddr, candidates } as JingleTransport & { kind: 's5b' },
    dstaddr,
    directSocket,
    cancel: () => waits.forEach((w) => w.cancel()),
  };
}

type OurS5b = Awaited<ReturnType<typeof ourS5b>>;

/**
 * XEP-0260 §2.3–2.5 for one transport: try the peer's candidates while the peer tries ours, report,
 * pick the winner, activate a proxy when needed. Resolves with the socket, or undefined when neither
 * side could connect (the caller falls back to IBB).
 */
async function negotiateS5b(
  f: Flow,
  ours: OurS5b,
  theirs: JingleTransport & { kind: 's5b' },
): Promise<{ socket: net.Socket; via: 'socks5-direct' | 'socks5-proxy' } | undefined> {
  const tsid = ours.transport.sid;
  const mine = f.s5.jid;
  const theirDst = theirs.dstaddr ?? f.s5.dstAddr(tsid, f.peer, mine);
  const sorted = [...theirs.candidates].sort((a, b) => b.priority - a.priority);
  let chosen: net.Socket | undefined;
  const attempt = connectFirst(
    sorted.map((c) => ({ jid: c.jid, host: c.host, port: c.port })),
    { dstAddr: theirDst, peerJid: f.peer, perHostTimeoutMs: f.ctx.timeouts.connect, totalTimeoutMs: f.ctx.timeouts.connect * 2, signal: f.signal },
  ).then(
    ({ host, socket }) => {
      return { candidate: sorted.find((c) => c.host === host.host && c.port === host.port && c.jid === host.jid)!, socket };
    },
    () => undefined,
  );
  // What the peer says about our candidates comes whenever it comes; start listening now.
  const theirReport = f.ch.wait(
    (a) => isTransportInfo(tsid)(a) && ['candidate-used', 'candidate-error'].includes(infoOf(a).kind),
    f.ctx.timeouts.connect * 4,
    f.signal,
    'SOCKS5 candidate report',
  );
  theirReport.catch(() => undefined);
  try {
    const mineResult = await attempt;
    await f.api.send(f.sid, 'transport-info', [
      { creator: 'initiator', name: CONTENT_NAME, s5bInfo: mineResult ? { kind: 'candidate-used', sid: tsid, cid: mineResult.candidate.cid } : { kind: 'candidate-error', sid: tsid } },
    ]);
    const report = infoOf(await theirReport);
    const oursUsed = report.kind === 'candidate-used' ? ours.transport.candidates.find((c) => c.cid === report.cid) : undefined;
    if (report.kind === 'candidate-used' && !oursUsed) throw transferError('protocol', 'the contact reported a candidate we never offered');
    const choice = selectCandidate(f.role, oursUsed, mineResult?.candidate);
    if (!choice) return undefined;
    if (choice.owner === 'theirs') {
      const socket = mineResult!.socket;
      if (choice.candidate.type === 'proxy') {
        // §2.5: the peer activates its proxy and says so.
        const a = infoOf(await f.ch.wait((x) => isTransportInfo(tsid)(x) && ['activated', 'proxy-error'].includes(infoOf(x).kind), f.ctx.timeouts.connect * 4, f.signal, 'proxy activation'));
        if (a.kind !== 'activated') throw transferError('connection-failed', 'the contact’s proxy could not be activated');
      }
      chosen = socket;
      return { socket, via: choice.candidate.type === 'proxy' ? 'socks5-proxy' : 'socks5-direct' };
    }
    if (choice.candidate.type === 'direct') {
      if (!ours.directSocket) throw transferError('protocol', 'no direct connection to use');
      chosen = await ours.directSocket;
      return { socket: chosen, via: 'socks5-direct' };
    }
    // Our proxy won: connect to it ourselves and activate it (§2.5).
    try {
      const socket = await socks5Connect({ host: choice.candidate.host, port: choice.candidate.port, dstAddr: ours.dstaddr, timeoutMs: f.ctx.timeouts.connect, signal: f.signal });
      chosen = socket;
      await f.s5.activate(choice.candidate.jid, tsid, f.peer);
      await f.api.send(f.sid, 'transport-info', [{ creator: 'initiator', name: CONTENT_NAME, s5bInfo: { kind: 'activated', sid: tsid, cid: choice.candidate.cid } }]);
      return { socket, via: 'socks5-proxy' };
    } catch (e) {
      await f.api.send(f.sid, 'transport-info', [{ creator: 'initiator', name: CONTENT_NAME, s5bInfo: { kind: 'proxy-error', sid: tsid } }]).catch(() => undefined);
      throw transferError('connection-failed', `the proxy could not be used: ${(e as Error).message}`);
    }
  } finally {
    ours.cancel();
    // Connections that lost (§2.4: the loser closes its streamhost connection).
    void Promise.all([attempt, ours.directSocket?.catch(() => undefined)]).then(([a, d]) => {
      for (const s of [a?.socket, d]) if (s && s !== chosen) s.destroy();
    });
  }
}

/** Runs `body` with a flow whose signal also fires on the peer's terminate; maps the ending to a terminate we send. */
async function withFlow<T>(ctx: StreamRunContext, api: JingleApi, sid: string, peer: string, role: Role, body: (f: Flow) => Promise<T>): Promise<T> {
  const s5 = requireApi<Socks5Api>(ctx, SOCKS5_MODULE);
  const ch = new JingleChannel(api, sid);
  const ac = new AbortController();
  const onUser = () => ac.abort(ctx.signal.reason);
  ctx.signal.addEventListener('abort', onUser, { once: true });
  if (ctx.signal.aborted) onUser(); // cancelled while the session was being set up
  ch.onTerminated((e) => ac.abort(e));
  const flow: Flow = { ctx: { ...ctx, signal: ac.signal }, api, s5, ch, sid, peer, role, signal: ac.signal };
  try {
    return await body(flow);
  } catch (e) {
    const err = asTransferError(ch.terminated ? (ac.signal.reason ?? e) : e);
    if (!ch.terminated) api.terminate(sid, ctx.signal.aborted ? 'cancel' : terminateReason(err), ctx.signal.aborted ? undefined : err.message);
    throw err;
  } finally {
    ctx.signal.removeEventListener('abort', onUser);
    ch.close();
  }
}

function terminateReason(e: TransferError): JingleReason {
  switch (e.code) {
    case 'connection-failed':
      return 'connectivity-error';
    case 'hash-mismatch':
      return 'media-error';
    case 'timeout':
      return 'timeout';
    case 'declined':
      return 'decline';
    case 'cancelled':
      return 'cancel';
    case 'unsupported':
      return 'unsupported-transports';
    default:
      return 'general-error';
  }
}

/**
 * The flow's ending split for a SOCKS5 send: `signal` stops it (the user's cancel, any ending of the
 * peer's but <success/>); `confirmed` is the peer's <success/>. Over SOCKS5 the receiver checks
 * the file against our checksum and ends the session as soon as it has every byte, which can reach
 * us before our socket has seen the receiver's close: that is the file arriving, not a reason to
 * stop — the send is done once every byte was taken, and fails if the close comes short of them.
 */
export function sendEndings(signal: AbortSignal, ch: JingleChannel): { signal: AbortSignal; confirmed: AbortSignal } {
  const stop = new AbortController();
  const confirmed = new AbortController();
  const pass = () => {
    if (ch.terminated?.reason?.condition === 'success') confirmed.abort();
    else stop.abort(signal.reason);
  };
  if (signal.aborted) pass();
  else signal.addEventListener('abort', pass, { once: true });
  return { signal: stop.signal, confirmed: confirmed.signal };
}

// ------------------------------------------------------------------ sending (initiator)

export async function sendByJingle(ctx: StreamRunContext, to: string, file: OutgoingFile, transport: 'auto' | 'socks5' | 'ibb' = 'auto'): Promise<void> {
  const api = requireApi<JingleApi>(ctx, JINGLE_MODULE);
  const sid = ctx.newSid();
  const meta = { name: file.name, size: file.size, mediaType: file.mediaType, ...(file.desc ? { desc: file.desc } : {}), hashes: [] };
  const ours = transport === 'ibb' ? undefined : await ourS5b(ctx, requireApi<Socks5Api>(ctx, SOCKS5_MODULE), to, 'initiator', ctx.newSid());
  const firstTransport: JingleTransport = ours ? ours.transport : { kind: 'ibb', sid: ctx.newSid(), blockSize: ctx.ibb.blockSize };
  ctx.setState('waiting');
  try {
    await api.initiate(to, sid, { creator: 'initiator', name: CONTENT_NAME, senders: 'initiator', file: meta, transport: firstTransport });
  } catch (e) {
    ours?.cancel();
    throw transferError('unsupported', `the contact's client refused the Jingle session (${(e as Error).message})`);
  }
  await withFlow(ctx, api, sid, to, 'initiator', async (f) => {
    const accept = await f.ch.wait((a) => a.action === 'session-accept', ctx.timeouts.offer, f.signal, 'offer');
    ctx.setState('connecting');
    const theirs = accept.contents[0]?.transport;
    let sha256: string;
    // XEP-0234 §7.1: the checksum may come at any time; over SOCKS5 it goes out as soon as the last
    // byte is handed to the socket, so the receiver need not wait a round trip through the server
    // after the data before it can check the file.
    let checksum: Promise<void> | undefined;
    const sendChecksum = (value: string) => {
      checksum ??= api.checksum(sid, CONTENT_NAME, [{ algo: 'sha-256', value }]);
      checksum.catch(() => undefined);
      return checksum;
    };
    let link: Awaited<ReturnType<typeof negotiateS5b>> | undefined;
    if (ours && theirs?.kind === 's5b') link = await negotiateS5b(f, ours, theirs);
    else ours?.cancel();
    if (link) {
      ctx.setTransport(link.via);
      ctx.setState('transferring');
      const ending = sendEndings(f.signal, f.ch);
      sha256 = await sendOverSocket(link.socket, file.path, file.size, { ...io(f), signal: ending.signal }, { onDigest: sendChecksum, confirmed: ending.confirmed });
    } else {
      if (transport === 'socks5') throw transferError('connection-failed', 'no SOCKS5 connection could be made');
      let ibbT = theirs?.kind === 'ibb' ? theirs : undefined;
      if (!ibbT) {
        // XEP-0260 §2.6: neither side could connect: replace the transport with IBB.
        const proposed: JingleTransport & { kind: 'ibb' } = { kind: 'ibb', sid: ctx.newSid(), blockSize: ctx.ibb.blockSize };
        await api.send(sid, 'transport-replace', [{ creator: 'initiator', name: CONTENT_NAME, transport: proposed }]);
        const answer = await f.ch.wait((a) => a.action === 'transport-accept' || a.action === 'transport-reject', ctx.timeouts.connect * 6, f.signal, 'transport-replace');
        if (answer.action === 'transport-reject') throw transferError('connection-failed', 'no SOCKS5 connection, and the contact refused the in-band fallback');
        const t = answer.contents[0]?.transport;
        ibbT = t?.kind === 'ibb' && t.sid === proposed.sid ? { ...proposed, blockSize: Math.min(proposed.blockSize, t.blockSize) } : proposed;
      }
      const out = await requireApi<IbbApi>(ctx, IBB_MODULE).open(to, ibbT.sid, { blockSize: ibbT.blockSize, window: ctx.ibb.window });
      ctx.setTransport('ibb');
      ctx.setState('transferring');
      sha256 = await sendOverIbb(out, file.path, file.size, io(f));
    }
    await sendChecksum(sha256);
    // The receiver ends the session once it checked the file: <success/> resolves this wait,
    // any other reason (media-error for a hash mismatch) rejects it with that reason.
    try {
      await f.ch.wait((a) => a.action === 'session-terminate' && a.reason?.condition === 'success', VERDICT_TIMEOUT_MS, f.signal, 'confirmation');
    } catch (e) {
      if (!(e instanceof TransferError && e.code === 'timeout')) throw e;
      // Every byte and the checksum were acknowledged; a peer that never says so is not a failure.
      api.terminate(sid, 'success');
    }
  });
}

// ------------------------------------------------------------------ receiving (responder)

export async function receiveByJingle(ctx: StreamRunContext, offer: FileOffer, folder: string, maxSize: number): Promise<SinkResult> {
  const api = requireApi<JingleApi>(ctx, JINGLE_MODULE);
  const session = api.session(offer.sid);
  if (!session?.offer?.transport) throw transferError('cancelled-by-peer', 'the offer is gone');
  const offered = session.offer.transport;
  const sink = await FileSink.open({ folder, name: offer.name, ...(offer.size !== undefined ? { expectedSize: offer.size } : {}), maxSize, expectedHash: pickHash(offer.hashes) });
  try {
    return await withFlow(ctx, api, offer.sid, offer.from, 'responder', async (f) => {
      const size = offer.size;
      let ours: OurS5b | undefined;
      let acceptTransport: JingleTransport;
      let ibbWatch: ReturnType<typeof ibbIntoSink> | undefined;
      const ibb = requireApi<IbbApi>(ctx, IBB_MODULE);
      const withdraws: (() => void)[] = [];
      const expectIbb = (t: JingleTransport & { kind: 'ibb' }) => {
        ibbWatch = ibbIntoSink(sink, io(f));
        withdraws.push(ibb.expect(offer.from, t.sid, ibbWatch.sink), ibbWatch.stop);
      };
      if (offered.kind === 's5b') {
        ours = await ourS5b(ctx, f.s5, offer.from, 'responder', offered.sid);
        acceptTransport = ours.transport;
      } else if (offered.kind === 'ibb') {
        acceptTransport = { kind: 'ibb', sid: offered.sid, blockSize: Math.min(offered.blockSize, 65535) };
        expectIbb(acceptTransport);
      } else throw transferError('unsupported', 'unsupported transport');
      try {
        await api.send(offer.sid, 'session-accept', [{ creator: 'initiator', name: session.offer!.name, senders: 'initiator', file: session.offer!.file, transport: acceptTransport }]);
        ctx.setState('connecting');
        let link: Awaited<ReturnType<typeof negotiateS5b>> | undefined;
        if (ours && offered.kind === 's5b') link = await negotiateS5b(f, ours, offered);
        if (link) {
          ctx.setTransport(link.via);
          ctx.setState('transferring');
          if (size === undefined) throw transferError('protocol', 'a file without a size cannot come over SOCKS5 here');
          await receiveFromSocket(link.socket, sink, size, io(f));
        } else {
          if (!ibbWatch) {
            // The sender replaces the transport with IBB (XEP-0260 §2.6).
            const replace = await f.ch.wait((a) => a.action === 'transport-replace', ctx.timeouts.connect * 6, f.signal, 'transport fallback');
            const t = replace.contents[0]?.transport;
            if (t?.kind !== 'ibb') {
              await api.send(offer.sid, 'transport-reject', [{ creator: 'initiator', name: CONTENT_NAME, ...(t ? { transport: t } : {}) }]).catch(() => undefined);
              throw transferError('connection-failed', 'no connection, and no usable fallback');
            }
            expectIbb(t);
            await api.send(offer.sid, 'transport-accept', [{ creator: 'initiator', name: replace.contents[0]!.name, transport: t }]);
          }
          ctx.setTransport('ibb');
          ctx.setState('transferring');
          await ibbWatch!.ended;
          if (size !== undefined && sink.bytes < size) throw transferError('cancelled-by-peer', `the sender stopped after ${sink.bytes} of ${size} bytes`);
        }
        // The hash: announced with the offer, or sent now as a checksum (XEP-0234 §7.1).
        let hash: FileHash | undefined = pickHash(offer.hashes);
        if (!hash) {
          const c = await f.ch.wait((a) => a.action === 'session-info' && !!a.checksum, CHECKSUM_TIMEOUT_MS, f.signal, 'checksum').catch((e: unknown) => {
            if (e instanceof TransferError && e.code === 'timeout') return undefined;
            throw e;
          });
          hash = c?.checksum?.hashes.find((h) => isTrustedAlgo(h.algo));
        }
        const res = await sink.finish(hash);
        api.terminate(offer.sid, 'success');
        return res;
      } finally {
        for (const w of withdraws) w();
        ours?.cancel();
      }
    });
  } catch (e) {
    await sink.abort();
    throw e;
  }
}

/** Declines an offered Jingle file (XEP-0166 §6.7, reason <decline/>). */
export function declineJingle(api: JingleApi, sid: string): void {
  api.terminate(sid, 'decline');
}
