// Both halves of "an iq gets exactly one answer" for the caller side (RFC 6120 §8.2.3):
// responses matched by id AND by sender, so a third party cannot answer our query.
import { bareJid } from '../../../shared/jid';
import { IqError } from '../module';
import { iqErrorFrom } from '../modules/stanza-error';
import type { Clock } from '../ports';
import type { XmlElement } from '../xml/element';

interface Pending {
  to: string | undefined;
  deadline: number;
  resolve(el: XmlElement): void;
  reject(err: IqError): void;
}

export type IqCallback = (result: XmlElement | undefined, error: IqError | undefined) => void;

export class IqTracker {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly clock: Clock) {}

  track(id: string, to: string | undefined, timeoutMs: number): Promise<XmlElement> {
    return new Promise((resolve, reject) => {
      this.pending.set(id, { to, deadline: this.clock.now() + timeoutMs, resolve, reject });
    });
  }

  /** Like track(), but the answer is delivered synchronously (stream negotiation steps). */
  trackCallback(id: string, to: string | undefined, timeoutMs: number, cb: IqCallback): void {
    this.pending.set(id, { to, deadline: this.clock.now() + timeoutMs, resolve: (el) => cb(el, undefined), reject: (err) => cb(undefined, err) });
  }

  /**
   * Returns false when the response matches nothing we asked, or comes from someone other than
   * the entity we asked. `own` = the addresses that may answer for the account itself: no from,
   * the bare JID, the bound full JID (RFC 6120 §8.1.2.1, §10.3.3).
   */
  settle(id: string, iq: XmlElement, own: string[]): boolean {
    const p = this.pending.get(id);
    if (!p) return false;
    const from = iq.attr('from') ?? '';
    const askedOwn = p.to === undefined || p.to === '' || own.includes(p.to);
    const ok = askedOwn ? own.includes(from) : from === p.to || (!p.to!.includes('/') && safeBare(from) === p.to);
    if (!ok) return false;
    this.pending.delete(id);
    if (iq.attr('type') === 'result') p.resolve(iq);
    else p.reject(iqErrorFrom(iq));
    return true;
  }

  expire(now: number): void {
    for (const [id, p] of this.pending) {
      if (p.deadline <= now) {
        this.pending.delete(id);
        p.reject(new IqError('remote-server-timeout', 'wait', 'no answer in time'));
      }
    }
  }

  rejectAll(err: IqError): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.reject(err);
  }

  get size(): number {
    return this.pending.size;
  }
}

function safeBare(jid: string): string {
  try {
    return bareJid(jid);
  } catch {
    return '';
  }
}
