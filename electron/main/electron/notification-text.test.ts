import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../../shared/domain';
import { fileOfferNotification, formatSize, messageNotification } from './notification-text';
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

describe('fileOfferNotification (issue 6)', () => {
  const offer = { id: 't1', direction: 'in' as const, peer: 'bob@example.test', name: 'report.pdf', size: 1234, method: 'si' as const, state: 'offered' as const, bytes: 0, rate: 0, attempts: [], startedAt: 1 };
  it('names the contact, the file and its size; hides bidi tricks', () => {
    expect(fileOfferNotification(offer, ctx({ contactName: () => 'Bob' }))).toEqual({ peer: 'bob@example.test', title: 'Bob', body: 'wants to send you report.pdf (1.2 kB)' });
    expect(fileOfferNotification({ ...offer, name: 'a\u202Etxt.exe', size: undefined }, ctx())?.body).toBe('wants to send you atxt.exe');
  });

  it('only for open offers by Jingle or SI, while unfocused', () => {
    expect(fileOfferNotification(offer, ctx({ windowFocused: true }))).toBeNull();
    expect(fileOfferNotification({ ...offer, method: 'upload' }, ctx())).toBeNull();
    expect(fileOfferNotification({ ...offer, state: 'done' }, ctx())).toBeNull();
    expect(fileOfferNotification({ ...offer, direction: 'out' }, ctx())).toBeNull();
  });

  it('formats sizes as file managers do', () => {
    expect([0, 999, 1000, 1234, 12_345, 999_999, 1_000_000, 4_200_000_000, 5e15].map(formatSize)).toEqual(['0 B', '999 B', '1.0 kB', '1.2 kB', '12 kB', '1.0 MB', '1.0 MB', '4.2 GB', '5000 TB']);
  });
});
