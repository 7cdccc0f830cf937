// XEP-0234: Jingle File Transfer — https://xmpp.org/extensions/xep-0234.html
// on XEP-0166 Jingle (urn:xmpp:jingle:1), with XEP-0260 SOCKS5 (urn:xmpp:jingle:transports:s5b:1)
// and XEP-0261 IBB (urn:xmpp:jingle:transports:ibb:1) transports, XEP-0300 hashes.
// The engine's half: session bookkeeping (each session belongs to one peer; actions from anyone
// else, or for sessions we do not have, are refused with item-not-found / unknown-session), parsing
// and sending actions. An incoming offer (session-initiate, senders=initiator) becomes
// 'file.offered'; everything after that is handed to the listener main registers for the session.
import { defineModule, IqError, type ModuleContext } from '../../module';
import { bareJid, formatJid, tryParseJid } from '../../../../shared/jid';
import type { XmlElement } from '../../xml/element';
import { buildChecksum, buildJingle, type OutgoingContent } from './build';
import { HASHES_NS, type FileHash } from './hashes';
import { JINGLE_FT_NS, JINGLE_IBB_NS, JINGLE_NS, JINGLE_S5B_NS } from './ns';
import { parseJingle, type JingleAction, type JingleContent, type JingleReason } from './parse';

export * from './ns';
export { parseJingle, JINGLE_REASONS, type JingleAction, type JingleContent, type JingleReason, type JingleTransport, type S5bCandidate, type S5bInfo, type CandidateType } from './parse';
export { buildJingle, buildChecksum, buildTransport, type OutgoingContent } from './build';
export { candidatePriority, selectCandidate, type Choice } from './negotiate';

export const JINGLE_MODULE = 'xep0234-jingle-ft';

export type JingleListener = (action: JingleAction) => void;

export interface JingleSessionInfo {
  sid: string;
  peer: string;
  role: 'initiator' | 'responder';
  initiator: string;
  responder: string;
  /** The session-initiate's content (responder side). */
  offer?: JingleContent;
}

export interface JingleApi {
  readonly jid: string;
  /** Starts a session as initiator: sends session-initiate and resolves once the peer acknowledged it. */
  initiate(to: string, sid: string, content: OutgoingContent): Promise<void>;
  /** Sends any other action in session `sid` (acknowledged iq). */
  send(sid: string, action: JingleAction['action'], contents?: OutgoingContent[], extra?: { reason?: { condition: JingleReason; text?: string }; payload?: XmlElement[] }): Promise<void>;
  /** XEP-0234 §7.1 checksum as session-info. */
  checksum(sid: string, name: string, hashes: FileHash[]): Promise<void>;
  /** Ends the session (XEP-0166 §6.7) and forgets it; does not wait for the ack. */
  terminate(sid: string, condition: JingleReason, text?: string): void;
  /** Receives every later action of the session; returns an unsubscribe function. */
  listen(sid: string, listener: JingleListener): () => void;
  session(sid: string): JingleSessionInfo | undefined;
}

interface Session extends JingleSessionInfo {
  listener?: JingleListener;
  /** Actions that came before a listener was registered (e.g. transport-info racing session-accept's ack). */
  backlog: JingleAction[];
}

interface JingleState {
  sessions: Map<string, Session>;
  emit?: ModuleContext['emit'];
}

/** Runs `fn` after the current handler returned (so the iq is acknowledged first, XEP-0166 §6.2). */
const later = (fn: () => void): void => void Promise.resolve().then(fn);

const MAX_BACKLOG = 32;
const MAX_SESSIONS = 64;

const norm = (jid: string | undefined): string | undefined => {
  const j = tryParseJid(jid ?? '');
  return j ? formatJid(j) : undefined;
};

function unknownSession(): IqError {
  // XEP-0166 §7.3: <item-not-found/> with <unknown-session/> (the connection sends the condition and this text).
  return new IqError('item-not-found', 'cancel', 'unknown-session');
}

function onJingle(iq: XmlElement, ctx: ModuleContext, state: JingleState): null {
  const from = norm(iq.attr('from'));
  const action = parseJingle(iq.child('jingle', JINGLE_NS)!);
  if (!from || !action) throw new IqError('bad-request', 'modify');
  const s = state.sessions.get(action.sid);
  if (action.action === 'session-initiate') {
    if (s) throw new IqError('conflict', 'cancel', 'a session with this id exists');
    onInitiate(from, action, ctx, state);
    return null;
  }
  if (!s || s.peer !== from) {
    if (s) ctx.emit({ type: 'security.rejected', what: 'Jingle action for a session with someone else (XEP-0166)', from });
    throw unknownSession();
  }
  // A terminate ends the session — once someone heard it: an initiator's terminate that comes
  // before main listens (a quick decline) waits in the backlog, and listen() removes the session.
  if (action.action === 'session-terminate' && (s.listener || s.role === 'responder')) state.sessions.delete(action.sid);
  if (s.listener) {
    const l = s.listener;
    // Acknowledge first (§6.2: the ack does not wait for processing), then handle.
    later(() => l(action));
  } else if (action.action === 'session-terminate' && s.role === 'responder') {
    // The sender withdrew the offer before we answered it.
    ctx.emit({ type: 'file.withdrawn', method: 'jingle', sid: s.sid, from, reason: action.reason?.condition ?? 'cancel' });
  } else if (s.backlog.length < MAX_BACKLOG) s.backlog.push(action);
  return null;
}

function onInitiate(from: string, action: JingleAction, ctx: ModuleContext, state: JingleState): void {
  const initiator = action.initiator ?? from;
  const content = action.contents[0];
  const terminate = (condition: JingleReason, text: string) =>
    later(() => void ctx.iq(buildJingle({ to: from, action: 'session-terminate', sid: action.sid, reason: { condition, text } })).catch(() => undefined));
  // §6.3.2: the initiator in the element must be the sender of the iq.
  if (initiator !== from) throw new IqError('bad-request', 'modify', 'initiator does not match the sender');
  if (state.sessions.size >= MAX_SESSIONS) throw new IqError('resource-constraint', 'wait');
  const fromJid = tryParseJid(from)!;
  if (!content || content.descriptionNs !== JINGLE_FT_NS || !content.file) return terminate('unsupported-applications', 'only file transfer is supported');
  // XEP-0234 §6: senders='responder' asks us for a file (a request); we only take offers.
  if (content.senders !== 'initiator' && content.senders !== 'both') return terminate('unsupported-applications', 'file requests are not supported');
  const t = content.transport;
  if (!t || t.kind === 'unknown') return terminate('unsupported-transports', 'only SOCKS5 (XEP-0260) and IBB (XEP-0261) are supported');
  state.sessions.set(action.sid, { sid: action.sid, peer: from, role: 'responder', initiator: from, responder: ctx.jid, offer: content, backlog: [] });
  const f = content.file;
  ctx.emit({
    type: 'file.offered',
    offer: {
      method: 'jingle',
      sid: action.sid,
      from,
      peer: bareJid(fromJid),
      name: f.name ?? 'file',
      ...(f.size !== undefined ? { size: f.size } : {}),
      ...(f.mediaType ? { mediaType: f.mediaType } : {}),
      ...(f.desc ? { desc: f.desc } : {}),
      ...(f.date ? { date: f.date } : {}),
      hashes: f.hashes,
    },
  });
}

export const jingleModule = defineModule<JingleState, JingleApi>({
  name: JINGLE_MODULE,
  // XEP-0300 §5: we check SHA-256 (and compute it for what we send).
  features: [JINGLE_NS, JINGLE_FT_NS, JINGLE_S5B_NS, JINGLE_IBB_NS, HASHES_NS, 'urn:xmpp:hash-function-text-names:sha-256'],
  init: () => ({ sessions: new Map() }),
  iq: [{ type: 'set', ns: JINGLE_NS, child: 'jingle', handle: onJingle }],
  offline(state) {
    for (const s of state.sessions.values()) {
      const terminated: JingleAction = { action: 'session-terminate', sid: s.sid, contents: [], reason: { condition: 'connectivity-error', text: 'the connection to the server was lost' } };
      if (s.listener) s.listener(terminated);
      else if (s.role === 'responder') state.emit?.({ type: 'file.withdrawn', method: 'jingle', sid: s.sid, from: s.peer, reason: 'the connection to the server was lost' });
    }
    state.sessions.clear();
  },
  api: (ctx, state) => {
    state.emit = (e) => ctx.emit(e);
    const get = (sid: string) => {
      const s = state.sessions.get(sid);
      if (!s) throw new Error('no such Jingle session');
      return s;
    };
    const attrs = (s: Session) => ({ initiator: s.initiator, ...(s.role === 'responder' || s.responder ? { responder: s.responder } : {}) });
    return {
      jid: ctx.jid,
      async initiate(toRaw, sid, content) {
        const to = norm(toRaw);
        if (!to || !to.includes('/')) throw new Error('Jingle needs a full JID');
        state.sessions.set(sid, { sid, peer: to, role: 'initiator', initiator: ctx.jid, responder: to, backlog: [] });
        try {
          await ctx.iq(buildJingle({ to, action: 'session-initiate', sid, initiator: ctx.jid, contents: [content] }));
        } catch (e) {
          state.sessions.delete(sid);
          throw e;
        }
      },
      async send(sid, action, contents, extra = {}) {
        const s = get(sid);
        await ctx.iq(buildJingle({ to: s.peer, action, sid, ...attrs(s), contents, ...extra }));
      },
      async checksum(sid, name, hashes) {
        const s = get(sid);
        await ctx.iq(buildJingle({ to: s.peer, action: 'session-info', sid, ...attrs(s), payload: [buildChecksum('initiator', name, hashes)] }));
      },
      terminate(sid, condition, text) {
        const s = state.sessions.get(sid);
        if (!s) return;
        state.sessions.delete(sid);
        ctx.iq(buildJingle({ to: s.peer, action: 'session-terminate', sid, ...attrs(s), reason: { condition, ...(text ? { text } : {}) } })).catch(() => undefined);
      },
      listen(sid, listener) {
        const s = get(sid);
        s.listener = listener;
        const backlog = s.backlog.splice(0);
        if (backlog.some((a) => a.action === 'session-terminate')) state.sessions.delete(sid);
        later(() => backlog.forEach(listener));
        return () => {
          if (s.listener === listener) s.listener = undefined;
        };
      },
      session(sid) {
        const s = state.sessions.get(sid);
        if (!s) return undefined;
        const { listener: _l, backlog: _b, ...info } = s;
        return info;
      },
    };
  },
});
