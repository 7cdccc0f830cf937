import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../../shared/domain';
import { messageNotification } from './notification-text';
import type { NotifyContext } from './notification-text';

const msg = (over: Partial<ChatMessage> = {}): ChatMessage => ({
  id: 'm1',
  peer: 'bob@example.test',
  from: 'bob@example.test/phone',
  to: 'alice@example.test/flint',
  direction: 'in',
  type: 'chat',
  body: 'Hello Alice',
  timestamp: 1,
  state: 'delivered',
  ...over,
});
const ctx = (over: Partial<NotifyContext> = {}): NotifyContext => ({ windowFocused: false, contactName: () => undefined, platform: 'darwin', ...over });

describe('messageNotification', () => {
  it('notifies an incoming message while the window is not focused, titled with the contact name', () => {
    expect(messageNotification(msg(), ctx({ contactName: (j) => (j === 'bob@example.test' ? 'Bob' : undefined) }))).toEqual({ peer: 'bob@example.test', title: 'Bob', body: 'Hello Alice' });
    expect(messageNotification(msg(), ctx())?.title).toBe('bob@example.test');
  });

  it('stays quiet when focused, for our own messages, and for empty bodies', () => {
    expect(messageNotification(msg(), ctx({ windowFocused: true }))).toBeNull();
    expect(messageNotification(msg({ direction: 'out' }), ctx())).toBeNull();
    expect(messageNotification(msg({ body: ' \n\t ' }), ctx())).toBeNull();
  });

  it('escapes markup on Linux only', () => {
    const body = '<img src="http://tracker.example/x.png"> & <b>bold</b>';
    expect(messageNotification(msg({ body }), ctx({ platform: 'linux' }))?.body).toBe('&lt;img src="http://tracker.example/x.png"&gt; &amp; &lt;b&gt;bold&lt;/b&gt;');
    expect(messageNotification(msg({ body }), ctx({ platform: 'win32' }))?.body).toBe(body);
  });

  it('truncates long bodies on a code-point boundary and strips bidi tricks', () => {
    const n = messageNotification(msg({ body: '😀'.repeat(300) }), ctx())!;
    expect(Array.from(n.body)).toHaveLength(200);
    expect(n.body.endsWith('😀…')).toBe(true);
    expect(messageNotification(msg({ body: 'pay \u202Egnp.exe' }), ctx())?.body).toBe('pay gnp.exe');
    expect(messageNotification(msg(), ctx({ contactName: () => '\u202E' }))?.title).toBe('bob@example.test');
  });
});
