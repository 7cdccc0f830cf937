// Builders for contract events and domain objects in store tests (not shipped: only tests import it).
import type { AppEvent, Snapshot } from '../../shared/ipc/contract';
import type { ChatMessage, Contact, ResourcePresence } from '../../shared/domain';

export const contact = (jid: string, extra: Partial<Contact> = {}): Contact => ({ jid, groups: [], subscription: 'both', ...extra });

export const rosterChanged = (upserted: Contact[], removed: string[] = [], extra: { replace?: boolean; ver?: string } = {}): AppEvent => ({
  name: 'roster.changed',
  payload: { upserted, removed, ...extra },
});

export const res = (resource: string, show: ResourcePresence['show'] = 'available', priority = 0, status?: string): ResourcePresence =>
  status === undefined ? { resource, show, priority } : { resource, show, priority, status };

export const presenceChanged = (...updates: [jid: string, resource: string, presence: ResourcePresence | null][]): AppEvent => ({
  name: 'presence.changed',
  payload: { updates: updates.map(([jid, resource, presence]) => ({ jid, resource, presence })) },
});

let seq = 0;
export const msg = (peer: string, extra: Partial<ChatMessage> = {}): ChatMessage => {
  seq++;
  return {
    id: `m${seq}`,
    peer,
    from: `${peer}/res`,
    to: 'me@example.test/flint',
    direction: 'in',
    type: 'chat',
    body: `body ${seq}`,
    timestamp: 1_700_000_000_000 + seq * 1000,
    state: 'sent',
    ...extra,
  };
};

export const received = (message: ChatMessage): AppEvent => ({ name: 'message.received', payload: { message } });

export const connectionChanged = (status: Snapshot['connection']['status'], extra: Partial<Snapshot['connection']> = {}): AppEvent => ({
  name: 'connection.changed',
  payload: { state: { status, ...extra } },
});

export const snapshot = (extra: Partial<Snapshot> = {}): Snapshot => ({
  connection: { status: 'offline' },
  roster: [],
  presence: [],
  own: { show: 'offline' },
  conversations: {},
  pendingSubscriptions: [],
  profile: { blocked: [], avatars: {}, autoAway: { enabled: true, awayMinutes: 5, xaMinutes: 20 } },
  ...extra,
});
