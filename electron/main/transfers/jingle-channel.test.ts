import { describe, expect, it } from 'vitest';
import type { JingleAction, JingleApi, JingleListener } from '../../core/modules/xep0234-jingle-ft';
import { JingleChannel, reasonError } from './jingle-channel';

const fakeApi = () => {
  let l: JingleListener | undefined;
  return { api: { listen: (_sid: string, listener: JingleListener) => ((l = listener), () => (l = undefined)) } as unknown as JingleApi, push: (a: JingleAction) => l?.(a) };
};
const act = (action: JingleAction['action'], extra: Partial<JingleAction> = {}): JingleAction => ({ action, sid: 's', contents: [], ...extra });

describe('JingleChannel', () => {
  it('hands queued and coming actions to waiters; a terminate ends every wait with its reason', async () => {
    const { api, push } = fakeApi();
    const ch = new JingleChannel(api, 's');
    push(act('transport-info'));
    const signal = new AbortController().signal;
    await expect(ch.wait((a) => a.action === 'transport-info', 1000, signal, 'x')).resolves.toMatchObject({ action: 'transport-info' });
    const accept = ch.wait((a) => a.action === 'session-accept', 1000, signal, 'offer');
    push(act('session-terminate', { reason: { condition: 'decline' } }));
    await expect(accept).rejects.toMatchObject({ code: 'declined' });
    await expect(ch.wait((a) => a.action === 'session-info', 1000, signal, 'x')).rejects.toMatchObject({ code: 'declined' });
  });

  it('times out and honours abort', async () => {
    const { api } = fakeApi();
    const ch = new JingleChannel(api, 's');
    const ac = new AbortController();
    await expect(ch.wait(() => true, 10, ac.signal, 'the answer')).rejects.toMatchObject({ code: 'timeout', message: 'no answer from the contact (the answer)' });
    const w = ch.wait(() => true, 1000, ac.signal, 'x');
    ac.abort(new Error('stop'));
    await expect(w).rejects.toThrow('stop');
  });

  it('maps XEP-0166 reasons to what the user reads', () => {
    const r = (condition: NonNullable<JingleAction['reason']>['condition'], text?: string) => reasonError(act('session-terminate', { reason: { condition, ...(text ? { text } : {}) } })).code;
    expect(r('decline')).toBe('declined');
    expect(r('cancel')).toBe('cancelled-by-peer');
    expect(r('connectivity-error')).toBe('connection-failed');
    expect(r('media-error', 'hash mismatch')).toBe('hash-mismatch');
    expect(r('timeout')).toBe('timeout');
    expect(r('unsupported-transports')).toBe('unsupported');
  });
});
