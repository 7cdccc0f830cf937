// The actions of one Jingle session as something to await: "the next session-accept, within 5
// minutes" — while a session-terminate from the peer at any point ends every wait with a reason
// the user can read (XEP-0166 §7.4 → TransferError).
import type { JingleAction, JingleApi } from '../../core/modules/xep0234-jingle-ft';
import { transferError, type TransferError } from './errors';

/** What the peer's session-terminate means for the transfer. */
export function reasonError(a: JingleAction): TransferError {
  const text = a.reason?.text ? `: ${a.reason.text}` : '';
  switch (a.reason?.condition) {
    case 'decline':
    case 'busy':
      return transferError('declined', 'the contact declined the file');
    case 'cancel':
    case 'gone':
      return transferError('cancelled-by-peer', `the contact cancelled the transfer${text}`);
    case 'connectivity-error':
    case 'failed-transport':
      return transferError('connection-failed', `no connection between you and the contact${text}`);
    case 'media-error':
    case 'security-error':
      return /hash/i.test(text) ? transferError('hash-mismatch', `the file arrived damaged (hash mismatch)${text}`) : transferError('connection-failed', `the transfer failed${text}`);
    case 'timeout':
    case 'expired':
      return transferError('timeout', `the contact's client gave up waiting${text}`);
    case 'unsupported-applications':
    case 'unsupported-transports':
    case 'incompatible-parameters':
      return transferError('unsupported', `the contact's client cannot take the file this way${text}`);
    case 'success':
      return transferError('protocol', 'the session ended as a success before the transfer finished');
    default:
      return transferError('protocol', `the contact ended the session (${a.reason?.condition ?? 'no reason'})${text}`);
  }
}

interface Waiter {
  pred(a: JingleAction): boolean;
  resolve(a: JingleAction): void;
  reject(e: unknown): void;
}

export class JingleChannel {
  private readonly queue: JingleAction[] = [];
  private readonly waiters = new Set<Waiter>();
  private readonly unlisten: () => void;
  private readonly abortListeners = new Set<(e: TransferError) => void>();
  /** The peer's session-terminate, once it came. */
  terminated?: JingleAction;

  constructor(api: JingleApi, sid: string) {
    this.unlisten = api.listen(sid, (a) => this.push(a));
  }

  /** Called with the peer's reason once the session is terminated by the peer. */
  onTerminated(cb: (e: TransferError) => void): void {
    this.abortListeners.add(cb);
  }

  private push(a: JingleAction): void {
    if (a.action === 'session-terminate') this.terminated = a;
    for (const w of this.waiters) {
      if (w.pred(a)) {
        this.waiters.delete(w);
        w.resolve(a);
        return;
      }
    }
    if (a.action === 'session-terminate') {
      const err = reasonError(a);
      for (const w of this.waiters) w.reject(err);
      this.waiters.clear();
      for (const cb of this.abortListeners) cb(err);
      return;
    }
    this.queue.push(a);
  }

  /** The first action (queued or coming) matching `pred`; rejects on the peer's terminate, timeout, or abort. */
  wait(pred: (a: JingleAction) => boolean, timeoutMs: number, signal: AbortSignal, what: string): Promise<JingleAction> {
    const i = this.queue.findIndex(pred);
    if (i >= 0) return Promise.resolve(this.queue.splice(i, 1)[0]!);
    if (this.terminated) return pred(this.terminated) ? Promise.resolve(this.terminated) : Promise.reject(reasonError(this.terminated));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(w);
        reject(transferError('timeout', `no answer from the contact (${what})`));
      }, timeoutMs);
      const onAbort = () => {
        this.waiters.delete(w);
        clearTimeout(timer);
        reject(signal.reason);
      };
      const w: Waiter = {
        pred,
        resolve: (a) => {
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
          resolve(a);
        },
        reject: (e) => {
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
          reject(e);
        },
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.add(w);
    });
  }

  close(): void {
    this.unlisten();
    this.waiters.clear();
  }
}
