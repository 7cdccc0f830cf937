import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChatMessage } from '../../../shared/domain';
import { silentLogger } from '../../core/ports';
import { FakeAccount } from '../ipc/testing/fake-account';

// A stand-in for Electron's Notification: records what was shown and lets the test click it.
const created: FakeNotification[] = [];
class FakeNotification extends EventEmitter {
  static isSupported = () => true;
  shown = false;
  closed = false;
  constructor(readonly opts: { title: string; body: string }) {
    super();
    created.push(this);
  }
  show() {
    this.shown = true;
  }
  close() {
    this.closed = true;
    this.emit('close');
  }
}
vi.mock('electron', () => ({ Notification: FakeNotification }));

const { startNotifier } = await import('./notifications');

class FakeWindow extends EventEmitter {
  focused = false;
  visible = true;
  minimized = true;
  calls: string[] = [];
  isDestroyed = () => false;
  isVisible = () => this.visible;
  isFocused = () => this.focused;
  isMinimized = () => this.minimized;
  restore = () => this.calls.push('restore');
  show = () => this.calls.push('show');
  focus = () => this.calls.push('focus');
}

const incoming = (n: number, peer = 'bob@example.test'): ChatMessage => ({
  id: `m${n}`,
  peer,
  from: `${peer}/phone`,
  to: 'alice@example.test/flint',
  direction: 'in',
  type: 'chat',
  body: `message ${n}`,
  timestamp: n,
  state: 'delivered',
});

describe('startNotifier', () => {
  let account: FakeAccount;
  let win: FakeWindow;
  let opened: string[];
  let stop: () => void;

  beforeEach(() => {
    created.length = 0;
    account = new FakeAccount();
    account.state = { ...account.state, roster: [{ jid: 'bob@example.test', name: 'Bob', groups: [], subscription: 'both' }] };
    win = new FakeWindow();
    opened = [];
    stop = startNotifier({ account, window: () => win as never, openChat: (jid) => opened.push(jid), log: silentLogger, platform: 'linux' });
  });

  it('shows one for an incoming message while unfocused; a click focuses the window and opens the chat', () => {
    account.emit({ type: 'message.received', message: incoming(1) });
    expect(created).toHaveLength(1);
    expect(created[0]!.opts).toMatchObject({ title: 'Bob', body: 'message 1' });
    expect(created[0]!.shown).toBe(true);
    created[0]!.emit('click');
    expect(win.calls).toEqual(['restore', 'show', 'focus']);
    expect(opened).toEqual(['bob@example.test']);
    stop();
  });

  it('stays quiet while the window is focused', () => {
    win.focused = true;
    account.emit({ type: 'message.received', message: incoming(1) });
    expect(created).toHaveLength(0);
    stop();
  });

  it('replaces the previous notification of the same conversation, keeps others, clears all on focus', () => {
    account.emit({ type: 'message.received', message: incoming(1) });
    account.emit({ type: 'message.received', message: incoming(2) });
    account.emit({ type: 'message.received', message: incoming(3, 'carol@example.test') });
    expect(created.map((n) => n.closed)).toEqual([true, false, false]);
    expect(created[2]!.opts.title).toBe('carol@example.test');
    win.emit('focus');
    expect(created.every((n) => n.closed)).toBe(true);
    stop();
  });

  it('stays quiet for a muted conversation and while our presence is "do not disturb"', () => {
    account.setMuted('carol@example.test', true);
    account.emit({ type: 'message.received', message: incoming(1, 'carol@example.test') });
    expect(created).toHaveLength(0);
    account.emit({ type: 'presence.own', show: 'dnd' });
    account.emit({ type: 'message.received', message: incoming(2) });
    expect(created).toHaveLength(0);
    account.emit({ type: 'presence.own', show: 'away' });
    account.emit({ type: 'message.received', message: incoming(3) });
    expect(created.map((n) => n.opts.body)).toEqual(['message 3']);
    stop();
  });

  it('issue 6: an incoming file offer (Jingle/SI) is notified and opens its chat; shared links are chat messages already', () => {
    const offer = { id: 't1', direction: 'in' as const, peer: 'bob@example.test', peerJid: 'bob@example.test/pc', name: 'song <b>.mp3', size: 4_200_000, method: 'jingle' as const, state: 'offered' as const, bytes: 0, rate: 0, attempts: [], startedAt: 1 };
    account.emit({ type: 'transfer.added', transfer: offer });
    account.emit({ type: 'transfer.added', transfer: { ...offer, id: 't2', method: 'upload' } });
    account.emit({ type: 'transfer.added', transfer: { ...offer, id: 't3', direction: 'out', state: 'connecting' } });
    expect(created.map((n) => n.opts)).toMatchObject([{ title: 'Bob', body: 'wants to send you song &lt;b&gt;.mp3 (4.2 MB)' }]);
    created[0]!.emit('click');
    expect(opened).toEqual(['bob@example.test']);
    account.setMuted('bob@example.test', true);
    account.emit({ type: 'transfer.added', transfer: { ...offer, id: 't4' } });
    expect(created).toHaveLength(1);
    stop();
  });

  it('follows roster renames and stops listening when stopped', () => {
    account.emit({ type: 'roster.changed', upserted: [{ jid: 'bob@example.test', name: 'Robert', groups: [], subscription: 'both' }], removed: [] });
    account.emit({ type: 'message.received', message: incoming(1) });
    expect(created[0]!.opts.title).toBe('Robert');
    stop();
    expect(account.listenerCount()).toBe(0);
    account.emit({ type: 'message.received', message: incoming(2) });
    expect(created).toHaveLength(1);
  });
});
