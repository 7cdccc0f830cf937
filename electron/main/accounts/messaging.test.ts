import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../../shared/domain';
import type { ChatState, CoreEvent } from '../../core/events';
import { silentLogger } from '../../core/ports';
import { HistoryBridge } from './history-bridge';
import { CONVERSATION_PREFS_FILE, Messaging } from './messaging';

const ME = 'me@example.test';
const BOB = 'bob@example.test';
const CAROL = 'carol@example.test';

describe('Messaging', () => {
  let dir: string;
  let bridge: HistoryBridge;
  let messaging: Messaging;
  let events: CoreEvent[];
  let online: boolean;
  let sent: { to: string; body: string }[];
  let corrections: { to: string; originalId: string; body: string }[];
  let states: [string, ChatState][];
  let markers: [string, string][];

  const make = () =>
    new Messaging(dir, {
      store: bridge.store,
      account: () => ME,
      api: <T>(name: string) => (online ? (apis[name] as T) : undefined),
      emit: (e) => events.push(e),
      log: silentLogger,
    });
  const apis: Record<string, unknown> = {
    'rfc6121-im': {
      send(to: string, body: string, opts: { id?: string } = {}): ChatMessage {
        sent.push({ to, body });
        return { id: opts.id!, peer: to, from: ME, to, direction: 'out', type: 'chat', body, timestamp: 0, state: 'sent' };
      },
    },
    'xep0308-correction': {
      correct(to: string, originalId: string, body: string): ChatMessage {
        corrections.push({ to, originalId, body });
        return { id: 'corr-1', peer: BOB, from: ME, to, direction: 'out', type: 'chat', body, timestamp: 0, state: 'sent' };
      },
    },
    'xep0085-chatstates': {
      set(to: string, state: ChatState): boolean {
        states.push([to, state]);
        return true;
      },
    },
    'xep0333-markers': {
      displayed(to: string, id: string): boolean {
        markers.push([to, id]);
        return true;
      },
    },
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'flint-messaging-'));
    events = [];
    online = true;
    sent = [];
    corrections = [];
    states = [];
    markers = [];
    bridge = new HistoryBridge(dir, { emit: (e) => events.push(e), log: silentLogger, account: () => ME, api: <T>(name: string) => (online ? (apis[name] as T) : undefined) });
    messaging = make();
  });
  afterEach(() => {
    bridge.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('corrects our last sent message: sends the correction, stores it, marks it edited and says so', async () => {
    const m = bridge.send(BOB, 'helo');
    const fixed = await messaging.correct(m.id, 'hello');
    expect(corrections).toEqual([{ to: BOB, originalId: m.id, body: 'hello' }]);
    expect(fixed).toMatchObject({ id: m.id, body: 'hello', state: 'sent' });
    expect(fixed.correctedAt).toBeTypeOf('number');
    expect(events).toContainEqual({ type: 'message.corrected', peer: BOB, id: m.id, body: 'hello', from: ME });
    expect(bridge.store.page(ME, BOB).messages.map((x) => [x.body, x.correctedAt !== undefined])).toEqual([['hello', true]]);
  });

  it('refuses to correct anything but our last message in that conversation', async () => {
    const first = bridge.send(BOB, 'one');
    bridge.send(BOB, 'two');
    bridge.send(CAROL, 'elsewhere'); // another conversation does not make "two" any less the last
    await expect(messaging.correct(first.id, 'uno')).rejects.toThrow(/last message/);
    await expect(messaging.correct('no-such-id', 'x')).rejects.toThrow(/No such message/);
    expect(corrections).toEqual([]);
  });

  it('cannot correct someone else’s message, even knowing its id', async () => {
    await bridge.store.insert({ account: ME, id: 'theirs', peer: BOB, from: `${BOB}/r`, to: ME, direction: 'in', type: 'chat', body: 'hi', timestamp: 1, state: 'delivered' });
    await expect(messaging.correct('theirs', 'forged')).rejects.toThrow(/No such message/);
    expect(bridge.store.page(ME, BOB).messages[0]!.body).toBe('hi');
  });

  it('rewrites a still-queued message in place: nobody saw it, so the corrected text is what goes out', async () => {
    online = false;
    const m = bridge.send(BOB, 'draft');
    const fixed = await messaging.correct(m.id, 'final');
    expect(fixed.state).toBe('pending');
    expect(corrections).toEqual([]);
    online = true;
    bridge.online();
    expect(sent).toEqual([{ to: BOB, body: 'final' }]);
  });

  it('needs the connection to correct a message already sent', async () => {
    const m = bridge.send(BOB, 'sent');
    online = false;
    await expect(messaging.correct(m.id, 'changed')).rejects.toThrow(/Not connected/);
    expect(bridge.store.page(ME, BOB).messages[0]!.body).toBe('sent');
  });

  it('forwards chat states and displayed markers while online, and reports false offline', () => {
    expect(messaging.setChatState(`${BOB}/phone`, 'composing')).toBe(true);
    expect(messaging.markDisplayed(`${BOB}/phone`, 'their-9')).toBe(true);
    online = false;
    expect(messaging.setChatState(BOB, 'paused')).toBe(false);
    expect(messaging.markDisplayed(BOB, 'their-10')).toBe(false);
    expect(states).toEqual([[`${BOB}/phone`, 'composing']]);
    expect(markers).toEqual([[BOB, 'their-9']]);
  });

  it('keeps muted conversations per account across restarts', () => {
    messaging.setMuted(`${BOB}/phone`, true);
    messaging.setMuted(CAROL, true);
    messaging.setMuted(CAROL, false);
    expect(messaging.isMuted(BOB)).toBe(true);
    expect(messaging.isMuted(CAROL)).toBe(false);
    const again = make();
    expect(again.mutedPeers()).toEqual([BOB]);
    expect(JSON.parse(readFileSync(join(dir, CONVERSATION_PREFS_FILE), 'utf8'))).toEqual({ muted: { [ME]: [BOB] } });
  });
});
