// Chat status slice (issue 5): who is typing (XEP-0085), how far a peer has read our messages
// (XEP-0333 displayed), and which conversations are muted. Typing is per resource, so a contact
// typing on the phone while idle on the desktop still shows as typing.
import type { Action } from './actions';
import { nullProto } from './records';

export interface ChatStatusSlice {
  /** Peer bare JID → resources currently composing ('' = the bare JID). */
  typing: Readonly<Record<string, readonly string[]>>;
  /** Peer bare JID → id of our latest message they displayed (and every earlier one; stored in main, the snapshot carries them). */
  seen: Readonly<Record<string, string>>;
  /** Conversations without notifications (persisted in main; the snapshot carries them). */
  muted: ReadonlySet<string>;
}

export const emptyChatStatus: ChatStatusSlice = { typing: {}, seen: {}, muted: new Set() };

function setTyping(s: ChatStatusSlice, peer: string, resources: readonly string[]): ChatStatusSlice {
  const typing = nullProto(s.typing);
  if (resources.length === 0) delete typing[peer];
  else typing[peer] = resources;
  return { ...s, typing };
}

const resourceOf = (jid: string): string => {
  const slash = jid.indexOf('/');
  return slash < 0 ? '' : jid.slice(slash + 1);
};

export function applyChatStatus(s: ChatStatusSlice, a: Action): ChatStatusSlice {
  switch (a.name) {
    case 'chat.state': {
      const { peer, resource, state } = a.payload;
      const current = s.typing[peer] ?? [];
      const has = current.includes(resource);
      // composing shows; paused, active, inactive and gone clear (XEP-0085 §5.1 state chart).
      if (state === 'composing') return has ? s : setTyping(s, peer, [...current, resource]);
      return has ? setTyping(s, peer, current.filter((r) => r !== resource)) : s;
    }
    case 'message.received': {
      // A message ends that resource's composing (§5.2: the sender is active again).
      const m = a.payload.message;
      if (m.direction !== 'in') return s;
      const current = s.typing[m.peer];
      if (!current) return s;
      return setTyping(s, m.peer, current.filter((r) => r !== resourceOf(m.from)));
    }
    case 'message.displayed': {
      const { peer, id } = a.payload;
      if (s.seen[peer] === id) return s;
      const seen = nullProto(s.seen);
      seen[peer] = id;
      return { ...s, seen };
    }
    case 'local.muteChanged': {
      const { peer, muted } = a.payload;
      if (s.muted.has(peer) === muted) return s;
      const next = new Set(s.muted);
      if (muted) next.add(peer);
      else next.delete(peer);
      return { ...s, muted: next };
    }
    case 'local.hydrated': {
      // Main stores displayed markers (they survive restarts); its marks replace what we had.
      const { muted, seen } = a.payload.snapshot;
      return { ...s, muted: new Set(muted ?? []), seen: nullProto(seen ?? {}) };
    }
    case 'connection.changed':
      // Offline, nobody's typing state is known any more.
      return a.payload.state.status !== 'online' && Object.keys(s.typing).length > 0 ? { ...s, typing: {} } : s;
    case 'local.loggedOut':
      return emptyChatStatus;
    default:
      return s;
  }
}

/**
 * Where the marked message is in an ordered list (of messages, or of timeline entries with `idOf`):
 * our messages at or before that index were displayed. -1 when there is no mark or it is not in the list.
 */
export function seenIndex<T>(items: readonly T[], seenId: string | undefined, idOf: (item: T) => string | undefined = (m) => (m as { id: string }).id): number {
  if (seenId === undefined) return -1;
  for (let i = items.length - 1; i >= 0; i--) if (idOf(items[i]!) === seenId) return i;
  return -1;
}
