// XEP-0047: In-Band Bytestreams — https://xmpp.org/extensions/xep-0047.html
// Namespace http://jabber.org/protocol/ibb. Data in iqs (stanza='iq'), so every block is
// acknowledged and arrives in order; several blocks are kept in flight (a window) so the round
// trip through the server does not set the pace. A session is accepted only when it was expected
// (pre-authorized after the user accepted a transfer) and only from the negotiated peer; every
// data or close iq must come from that same peer, with the next sequence number.
import { defineModule, IqError, type ModuleContext } from '../../module';
import { formatJid, tryParseJid } from '../../../../shared/jid';
import type { XmlElement } from '../../xml/element';
import { buildClose, buildData, buildOpen } from './build';
import { IBB_NS, MAX_BLOCK_SIZE, nextSeq, parseData, parseOpen, validSid } from './parse';

export { IBB_NS, MAX_BLOCK_SIZE, SEQ_MODULO, nextSeq, parseData, parseOpen } from './parse';

export const IBB_MODULE = 'xep0047-ibb';
/** What we propose; peers that refuse it (resource-constraint) are asked again with less (§2.1). */
export const DEFAULT_BLOCK_SIZE = 32768;
const FALLBACK_BLOCK_SIZES = [8192, 4096];
export const DEFAULT_WINDOW = 16;
const DATA_TIMEOUT_MS = 60_000;

/** Where the blocks of an incoming session go. */
export interface IbbSink {
  /** The next block, in order. A returned promise holds back the ack (flow control); a throw closes the session. */
  data(bytes: Uint8Array): void | Promise<void>;
  /** The sender closed the session (§2.3). */
  close(): void;
  /** The session broke: out-of-order block, bad data, the stream ended. */
  error(reason: string): void;
}

export interface IbbOutgoing {
  readonly sid: string;
  readonly peer: string;
  readonly blockSize: number;
  /** Sends one block of at most blockSize bytes; resolves when the window has room for the next. */
  write(bytes: Uint8Array): Promise<void>;
  /** Waits until every block is acknowledged, then closes the session (§2.3). */
  close(): Promise<void>;
  /** Stops now: close sent without waiting for outstanding blocks. */
  abort(): void;
  /** Resolves when the session ended: closed by us, by the peer, or failed (with the reason). */
  readonly ended: Promise<{ reason?: string }>;
}

export interface IbbApi {
  /**
   * Pre-authorizes session `sid` from exactly `peer` (full JID). Until then (and from anyone else)
   * an <open/> is refused with not-acceptable. Returns a function that withdraws it / ends the session.
   */
  expect(peer: string, sid: string, sink: IbbSink): () => void;
  /** Opens a session to `peer` (full JID). */
  open(peer: string, sid: string, opts?: { blockSize?: number; window?: number }): Promise<IbbOutgoing>;
}

interface Incoming {
  peer: string;
  sid: string;
  sink: IbbSink;
  open: boolean;
  blockSize: number;
  seq: number;
}

export interface IbbState {
  /** key(peer, sid) → pre-authorized or open incoming session. */
  incoming: Map<string, Incoming>;
  /** key(peer, sid) → our open outgoing sessions (the peer may close them). */
  outgoing: Map<string, { fail(reason: string): void }>;
}

const key = (peer: string, sid: string) => `${sid}\n${peer}`;
const norm = (jid: string | undefined): string | undefined => {
  const j = tryParseJid(jid ?? '');
  return j ? formatJid(j) : undefined;
};

function onOpen(iq: XmlElement, ctx: ModuleContext, state: IbbState): null {
  const open = parseOpen(iq.child('open', IBB_NS)!);
  if (!open) throw new IqError('bad-request', 'modify');
  const from = norm(iq.attr('from'));
  const session = from ? state.incoming.get(key(from, open.sid)) : undefined;
  if (!session || session.open) {
    // Not pre-authorized (no accepted transfer with this peer and sid), or a second open.
    if (from && [...state.incoming.values()].some((s) => s.sid === open.sid && s.peer !== from)) {
      ctx.emit({ type: 'security.rejected', what: 'IBB session for a stream negotiated with someone else (XEP-0047)', from });
    }
    throw new IqError('not-acceptable', 'cancel');
  }
  if (open.stanza !== 'iq') throw new IqError('feature-not-implemented', 'cancel', 'only stanza=iq is supported');
  if (open.blockSize < 1 || open.blockSize > MAX_BLOCK_SIZE) throw new IqError('resource-constraint', 'modify');
  session.open = true;
  session.blockSize = open.blockSize;
  session.seq = 0;
  return null;
}

function breakSession(state: IbbState, s: Incoming, reason: string): void {
  state.incoming.delete(key(s.peer, s.sid));
  s.sink.error(reason);
}

function onData(iq: XmlElement, ctx: ModuleContext, state: IbbState): null | Promise<null> {
  const el = iq.child('data', IBB_NS)!;
  const from = norm(iq.attr('from'));
  const sid = el.attr('sid');
  const s = from && validSid(sid) ? state.incoming.get(key(from, sid)) : undefined;
  // §2.2: data for a session we do not have with this sender (unknown sid, or someone else's).
  if (!s || !s.open) throw new IqError('item-not-found', 'cancel');
  const data = parseData(el);
  if (!data) {
    breakSession(state, s, 'the sender sent a malformed block');
    throw new IqError('bad-request', 'cancel');
  }
  if (data.seq !== s.seq) {
    // §2.2: out-of-order (or replayed) block: the bytestream is closed.
    breakSession(state, s, `block ${data.seq} arrived where ${s.seq} was expected`);
    throw new IqError('unexpected-request', 'cancel');
  }
  if (data.bytes.length > s.blockSize) {
    breakSession(state, s, 'the sender sent a block larger than the negotiated size');
    throw new IqError('bad-request', 'modify');
  }
  s.seq = nextSeq(s.seq);
  let wait: void | Promise<void>;
  try {
    wait = s.sink.data(data.bytes);
  } catch (e) {
    state.incoming.delete(key(s.peer, s.sid));
    ctx.log.info('IBB block refused', { sid: s.sid, error: String(e) });
    throw new IqError('not-acceptable', 'cancel');
  }
  if (!wait) return null;
  return wait.then(
    () => null,
    () => {
      state.incoming.delete(key(s.peer, s.sid));
      throw new IqError('not-acceptable', 'cancel');
    },
  );
}

function onClose(iq: XmlElement, _ctx: ModuleContext, state: IbbState): null {
  const from = norm(iq.attr('from'));
  const sid = iq.child('close', IBB_NS)!.attr('sid');
  if (!from || !validSid(sid)) throw new IqError('item-not-found', 'cancel');
  const k = key(from, sid);
  const s = state.incoming.get(k);
  if (s?.open) {
    state.incoming.delete(k);
    s.sink.close();
    return null;
  }
  const out = state.outgoing.get(k);
  if (out) {
    out.fail('the receiver closed the stream');
    return null;
  }
  throw new IqError('item-not-found', 'cancel');
}

async function openSession(ctx: ModuleContext, state: IbbState, peerRaw: string, sid: string, opts: { blockSize?: number; window?: number }): Promise<IbbOutgoing> {
  const peer = norm(peerRaw);
  if (!peer || !validSid(sid)) throw new Error('IBB: invalid peer or sid');
  const sizes = [Math.min(opts.blockSize ?? DEFAULT_BLOCK_SIZE, MAX_BLOCK_SIZE)];
  for (const s of FALLBACK_BLOCK_SIZES) if (s < sizes[0]!) sizes.push(s);
  let blockSize = 0;
  for (const size of sizes) {
    try {
      await ctx.iq(buildOpen(peer, sid, size));
      blockSize = size;
      break;
    } catch (e) {
      // §2.1: the responder wants smaller blocks.
      if (e instanceof IqError && e.condition === 'resource-constraint' && size !== sizes[sizes.length - 1]) continue;
      throw e;
    }
  }
  const window = Math.max(1, opts.window ?? DEFAULT_WINDOW);
  let seq = 0;
  let failure: string | undefined;
  let closed = false;
  const inFlight = new Set<Promise<unknown>>();
  let resolveEnded!: (r: { reason?: string }) => void;
  const ended = new Promise<{ reason?: string }>((r) => (resolveEnded = r));
  const k = key(peer, sid);
  const finish = (reason?: string) => {
    if (state.outgoing.get(k) === handle) state.outgoing.delete(k);
    resolveEnded(reason === undefined ? {} : { reason });
  };
  const fail = (reason: string) => {
    if (failure !== undefined || closed) return;
    failure = reason;
    finish(reason);
  };
  const handle = { fail };
  state.outgoing.set(k, handle);

  const check = () => {
    if (failure !== undefined) throw new Error(failure);
    if (closed) throw new Error('IBB session closed');
  };

  return {
    sid,
    peer,
    blockSize,
    ended,
    async write(bytes) {
      check();
      if (bytes.length > blockSize) throw new Error(`IBB block of ${bytes.length} bytes exceeds ${blockSize}`);
      const p = ctx.iq(buildData(peer, sid, seq, bytes), DATA_TIMEOUT_MS).then(
        () => undefined,
        (e: unknown) => fail(e instanceof IqError ? `the receiver refused a block (${e.condition})` : String(e)),
      );
      seq = nextSeq(seq);
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
      while (inFlight.size >= window && failure === undefined) await Promise.race(inFlight);
      check();
    },
    async close() {
      check();
      while (inFlight.size > 0 && failure === undefined) await Promise.race(inFlight);
      check();
      closed = true;
      try {
        await ctx.iq(buildClose(peer, sid));
      } catch {
        // §2.3: the data is acknowledged already; a lost close changes nothing for the receiver's bytes.
      }
      finish();
    },
    abort() {
      if (closed || failure !== undefined) return;
      failure = 'aborted';
      ctx.iq(buildClose(peer, sid)).catch(() => undefined);
      finish('aborted');
    },
  };
}

export const ibbModule = defineModule<IbbState, IbbApi>({
  name: IBB_MODULE,
  features: [IBB_NS],
  init: () => ({ incoming: new Map(), outgoing: new Map() }),
  iq: [
    { type: 'set', ns: IBB_NS, child: 'open', handle: onOpen },
    { type: 'set', ns: IBB_NS, child: 'data', handle: onData },
    { type: 'set', ns: IBB_NS, child: 'close', handle: onClose },
  ],
  offline(state) {
    for (const s of state.incoming.values()) if (s.open) s.sink.error('the connection to the server was lost');
    state.incoming.clear();
    for (const o of state.outgoing.values()) o.fail('the connection to the server was lost');
    state.outgoing.clear();
  },
  api: (ctx, state) => ({
    expect(peerRaw, sid, sink) {
      const peer = norm(peerRaw);
      if (!peer || !validSid(sid)) throw new Error('IBB: invalid peer or sid');
      const k = key(peer, sid);
      const entry: Incoming = { peer, sid, sink, open: false, blockSize: 0, seq: 0 };
      state.incoming.set(k, entry);
      return () => {
        if (state.incoming.get(k) !== entry) return;
        state.incoming.delete(k);
        // §2.3: we end a session the sender opened by closing it ourselves.
        if (entry.open) ctx.iq(buildClose(peer, sid)).catch(() => undefined);
      };
    },
    open: (peer, sid, opts = {}) => openSession(ctx, state, peer, sid, opts),
  }),
});
