// Between the account service and the history store: every message event goes through the store
// and reaches the app only once committed; chat.send goes through the durable outbox; on every
// login the outbox is sent in order and the server archive (XEP-0313) fills the gap since the
// last session; scroll-back continues in the archive where the local store ends.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { ChatMessage } from '../../../shared/domain';
import { bareJid, formatJid, parseJid } from '../../../shared/jid';
import type { CoreEvent } from '../../core/events';
import { defineModule, IqError, type AnyModule } from '../../core/module';
import type { Logger } from '../../core/ports';
import { IM_MODULE, MAM_MODULE, RECEIPTS_MODULE, type ImApi, type MamApi, type MamPage, type ReceiptsApi } from '../../core/modules';
import { HistoryStore, withoutCursor, type ExportFormat, type HistoryMessage, type HistoryPage, type PageOptions, type SearchHit } from '../store/history';

export const HISTORY_FILE = 'history.sqlite3';
/** Archive results asked per catch-up page. */
export const CATCH_UP_PAGE = 250;
/** A first login on this device fetches only the most recent messages; older ones come by scroll-back. */
export const FIRST_LOGIN_MESSAGES = 100;
/** Catch-up stops after this many pages in one go (≈ 250,000 messages) and resumes at the next login. */
const MAX_CATCH_UP_PAGES = 1_000;

export interface HistoryBridgeDeps {
  emit(e: CoreEvent): void;
  log: Logger;
  /** Own bare JID of the signed-in account, when there is one. */
  account(): string | undefined;
  /** A protocol module's API while online, else undefined. */
  api<T>(name: string): T | undefined;
}

export class HistoryBridge {
  readonly store: HistoryStore;
  /**
   * Goes last in the session's module list: its online step runs after every other one, i.e. after
   * rfc6121-presence sent our initial presence. Only then may catch-up query the archive: Prosody
   * (mod_mam, 0.12) no longer pushes stored offline messages to a session that queried the archive
   * before its initial presence — a message arriving in between would reach neither way.
   */
  readonly module: AnyModule = defineModule({
    name: 'flint-history-sync',
    online: () => {
      this.expectReceipts();
      this.catchUp().catch((err: unknown) => this.deps.log.warn('archive catch-up failed', { error: String(err) }));
    },
  });
  private catchingUp?: Promise<void>;
  /** Catch-ups finished (successfully or not) since start: tests wait for the one a login runs. */
  catchUpsDone = 0;
  private flushing = false;

  constructor(
    dataDir: string,
    private readonly deps: HistoryBridgeDeps,
  ) {
    this.store = new HistoryStore(join(dataDir, HISTORY_FILE));
  }

  /**
   * Takes the message events: stores them, then emits what changed once committed. Returns false
   * for events that are not about stored messages (the caller emits those itself).
   */
  handle(e: CoreEvent): boolean {
    const account = this.deps.account();
    if (!account) return false;
    switch (e.type) {
      case 'message.received':
        this.settle(this.store.insert({ ...e.message, account }).then((r) => {
          if (r.inserted) this.deps.emit({ type: 'message.received', message: withoutCursor(r.message) });
          else if (r.changed) this.emitUpdated(r.message);
        }), () => this.deps.emit(e));
        return true;
      case 'message.updated':
        this.settle(this.store.updateState(account, e.peer, e.id, e.state, e.error).then((m) => m && this.emitUpdated(m)));
        return true;
      case 'message.corrected':
        this.settle(this.store.correct(account, e.peer, e.id, e.body, bareJid(e.from)).then((r) => {
          if (r.status === 'applied') this.deps.emit(e);
          else if (r.status === 'refused') this.deps.emit({ type: 'security.rejected', what: 'correction of a message someone else sent (XEP-0308)', from: e.from });
        }));
        return true;
      case 'message.displayed':
        // Stored after the message it marks, should that still be on its way to the disk; shown only
        // when the mark moved forward (a stale marker, or one for no message of ours, changes nothing).
        this.settle(this.store.markDisplayed(account, e.peer, e.id).then((r) => {
          if (r.status === 'advanced') this.deps.emit({ ...e, id: r.id });
        }), () => this.deps.emit(e));
        return true;
      default:
        return false;
    }
  }

  /**
   * chat.send: the message is committed to the outbox before anything else, then sent at once when
   * online. Returns it as it stands (pending when offline, sent when it went out).
   */
  send(to: string, body: string): ChatMessage {
    const account = this.requireAccount();
    const toJid = formatJid(parseJid(to));
    const queued = this.store.outbox.enqueue(account, {
      id: randomUUID(),
      peer: bareJid(toJid),
      from: account,
      to: toJid,
      direction: 'out',
      type: 'chat',
      body,
      timestamp: Date.now(),
      state: 'pending',
    });
    const settled = this.flushOutbox(queued.id);
    return withoutCursor(settled.get(queued.id) ?? queued);
  }

  /** chat.retry: a failed message back into the queue, sent now when online. */
  retry(id: string): ChatMessage {
    const account = this.requireAccount();
    const queued = this.store.outbox.retry(account, id);
    const settled = this.flushOutbox(queued.id);
    return withoutCursor(settled.get(queued.id) ?? queued);
  }

  /**
   * Sends what is queued, oldest first, while online. Each message goes out with its own id as
   * id and origin-id, so a resend after a crash is recognisable (see store/outbox.ts). Emits
   * message.updated for each, except `quiet` (the caller returns that one).
   */
  flushOutbox(quiet?: string): Map<string, HistoryMessage> {
    const settled = new Map<string, HistoryMessage>();
    const account = this.deps.account();
    const im = this.deps.api<ImApi>(IM_MODULE);
    if (!account || !im || this.flushing) return settled;
    this.flushing = true;
    try {
      for (const { message } of this.store.outbox.queued(account)) {
        this.store.outbox.attempting(account, message.id);
        let done: HistoryMessage | undefined;
        try {
          im.send(message.to, message.body, { id: message.id, ...(message.thread ? { thread: message.thread } : {}) });
          done = this.store.outbox.markSent(account, message.id);
        } catch (err) {
          done = this.store.outbox.markFailed(account, message.id, `Could not send: ${err instanceof Error ? err.message : String(err)}`);
        }
        if (!done) continue;
        settled.set(done.id, done);
        if (done.id !== quiet) this.emitUpdated(done);
      }
    } finally {
      this.flushing = false;
    }
    return settled;
  }

  /** Online: send the queue (the archive catch-up follows from `module`, after initial presence). */
  online(): void {
    this.flushOutbox();
  }

  /** Receipts for messages sent before this session (even before a restart) still count: tell xep0184-receipts which ones wait. */
  private expectReceipts(): void {
    const account = this.deps.account();
    const receipts = this.deps.api<ReceiptsApi>(RECEIPTS_MODULE);
    if (!account || !receipts) return;
    for (const m of this.store.awaitingReceipt(account)) receipts.expect(m.id, m.peer);
  }

  /**
   * XEP-0313 catch-up: page forward (RSM after) from the last archive id stored until the archive
   * says complete, storing every result (deduplicated by stanza-id) and then the new last id — so
   * a crash mid-way resumes where the committed pages end. The first login on this device takes
   * only the latest FIRST_LOGIN_MESSAGES.
   *
   * Pipelined: the next page is asked for as soon as a page's <fin/> names its last id, and the
   * page is stored while the server looks up the next one. The server's part is most of the time
   * (Prosody with internal storage reads the whole archive for each query and caps a page at 50),
   * so storing no longer adds to it. Pages are still stored one after the other, in order, each
   * with its last id in the same transaction or right after its messages.
   */
  catchUp(): Promise<void> {
    this.catchingUp ??= this.runCatchUp().finally(() => {
      this.catchingUp = undefined;
      this.catchUpsDone++;
    });
    return this.catchingUp;
  }

  private async runCatchUp(): Promise<void> {
    const account = this.deps.account();
    const mam = this.deps.api<MamApi>(MAM_MODULE);
    if (!account || !mam) return;
    let after = this.store.lastArchiveId(account);
    if (after === undefined) return this.anchor(account, mam);
    // '' = the archive was empty when we anchored: everything in it is new.
    const ask = (from: string) => {
      const q = mam.query(from ? { after: from, max: CATCH_UP_PAGE } : { max: CATCH_UP_PAGE });
      // Awaited in the next round; should storing this round's page fail first, it is dropped quietly.
      q.catch(() => undefined);
      return q;
    };
    let next: Promise<MamPage> | undefined = ask(after);
    for (let i = 0; next; i++) {
      let page: MamPage;
      try {
        page = await next;
      } catch (err) {
        // The archive no longer holds our last id (expired, or the archive was reset): start over from its latest page.
        if (err instanceof IqError && err.condition === 'item-not-found') {
          this.deps.log.info('archive catch-up: last id unknown to the server, taking the latest page', { after });
          return this.anchor(account, mam);
        }
        throw err;
      }
      const more = !page.complete && page.last !== undefined && page.last !== after && i + 1 < MAX_CATCH_UP_PAGES;
      next = more ? ask(page.last!) : undefined;
      // What arrived while we were away: new to this device, shown as received.
      await this.storeArchivePage(account, page, { after }, { advance: true, announce: true });
      after = page.last ?? after;
    }
  }

  /**
   * First login on this device: the latest messages, stored quietly — history, not news (no
   * notifications, no unread counts); a conversation shows them when opened. The newest archive id
   * becomes the anchor catch-up resumes from ('' when the archive is empty).
   */
  private async anchor(account: string, mam: MamApi): Promise<void> {
    let page = await mam.query({ before: true, max: FIRST_LOGIN_MESSAGES });
    const newest = page.last;
    await this.storeArchivePage(account, page, {}, { advance: false, announce: false });
    // Servers cap a page (Prosody: 50), so page back until we have enough or the archive's start.
    for (let got = page.messages.length; got < FIRST_LOGIN_MESSAGES && !page.complete && page.first !== undefined; got += page.messages.length) {
      const before = page.first;
      page = await mam.query({ before, max: FIRST_LOGIN_MESSAGES - got });
      if (page.messages.length === 0) break;
      await this.storeArchivePage(account, page, { before }, { advance: false, announce: false });
    }
    await this.store.setLastArchiveId(account, newest ?? '');
  }

  /**
   * Stores one archive page (see HistoryStore.insertArchived for `from`) and, when `advance`, its
   * last id: in the same write when the page has no correction, else after the corrections.
   * `announce`: emit what was new (catch-up); not for
   * history the user scrolls to (history.page returns it) nor for a first login's latest page.
   */
  private async storeArchivePage(
    account: string,
    page: MamPage,
    from: { after?: string } | { before?: string | true },
    opts: { advance: boolean; announce: boolean },
  ): Promise<void> {
    const plain = page.messages.filter((m) => m.replaces === undefined);
    // One transaction per page, and the last id cannot commit without the messages.
    const advanceNow = opts.advance && page.last !== undefined && plain.length === page.messages.length;
    const results = await this.store.insertArchived(account, plain.map(({ replaces: _r, ...m }) => ({ ...m, account })), from, advanceNow ? page.last : undefined);
    if (opts.announce) {
      for (const r of results) {
        if (r.inserted) this.deps.emit({ type: 'message.received', message: withoutCursor(r.message) });
        else if (r.changed) this.emitUpdated(r.message);
      }
    }
    // XEP-0308 corrections in the archive: applied to their originals (stored by now), only by the same sender.
    for (const m of page.messages) {
      if (m.replaces === undefined) continue;
      const r = await this.store.correct(account, m.peer, m.replaces, m.body, m.direction === 'out' ? account : bareJid(m.from));
      if (r.status === 'applied' && opts.announce) this.deps.emit({ type: 'message.corrected', peer: m.peer, id: m.replaces, body: m.body, from: m.from });
      // A correction of something we never stored: show its text as a message (XEP-0308 allows it); a forged one: drop it.
      if (r.status === 'unknown') {
        const { replaces: _r, ...message } = m;
        const [ins] = await this.store.insertArchived(account, [{ ...message, account }], from);
        if (ins?.inserted && opts.announce) this.deps.emit({ type: 'message.received', message: withoutCursor(ins.message) });
      }
    }
    if (opts.advance && !advanceNow && page.last !== undefined) await this.store.setLastArchiveId(account, page.last);
  }

  /**
   * history.page: from the local store; when it runs out of older messages and we are online, the
   * archive is asked for the page before the oldest stored archive id of that conversation, until
   * the archive says it has nothing older.
   */
  async page(peer: string, opts: PageOptions): Promise<HistoryPage> {
    const account = this.requireAccount();
    const local = this.store.page(account, peer, opts);
    const limit = opts.limit ?? 50;
    if (opts.after !== undefined || local.older !== undefined || local.messages.length >= limit) return local;
    const mam = this.deps.api<MamApi>(MAM_MODULE);
    if (!mam || this.store.archiveStartReached(account, peer)) return local;
    try {
      const before = this.store.oldestArchiveId(account, peer) ?? true;
      const page = await mam.query({ with: peer, before, max: limit });
      await this.storeArchivePage(account, { ...page, messages: page.messages.filter((m) => m.peer === peer) }, { before }, { advance: false, announce: false });
      if (page.complete) await this.store.markArchiveStart(account, peer);
    } catch (err) {
      this.deps.log.warn('archive scroll-back failed', { peer, error: String(err) });
      return local;
    }
    return this.store.page(account, peer, opts);
  }

  search(query: string, limit?: number): SearchHit[] {
    return this.store.search(this.requireAccount(), query, { limit });
  }

  export(peer: string, format: ExportFormat): string {
    return this.store.export(this.requireAccount(), peer, format);
  }

  /** The latest page of the recent conversations, for a window's snapshot. */
  recent(): Record<string, ChatMessage[]> {
    const account = this.deps.account();
    if (!account || this.store.isClosed) return {};
    const out: Record<string, ChatMessage[]> = {};
    for (const [peer, list] of Object.entries(this.store.recent(account))) out[peer] = list.map(withoutCursor);
    return out;
  }

  /** XEP-0333: how far each peer has displayed our messages, as stored (it survives restarts), for a window's snapshot. */
  seen(): Record<string, string> {
    const account = this.deps.account();
    return account && !this.store.isClosed ? this.store.displayedMarks(account) : {};
  }

  /** Commits what is pending and closes the database (app quit). A catch-up still running fails quietly. */
  close(): void {
    this.store.close();
  }

  private emitUpdated(m: HistoryMessage): void {
    this.deps.emit({ type: 'message.updated', id: m.id, peer: m.peer, state: m.state, ...(m.error !== undefined ? { error: m.error } : {}) });
  }

  /** A store write whose outcome is emitted: a failure is logged, and `fallback` (when given) still shows the event. */
  private settle(p: Promise<unknown>, fallback?: () => void): void {
    p.catch((err: unknown) => {
      this.deps.log.error('history store write failed', { error: String(err) });
      fallback?.();
    });
  }

  private requireAccount(): string {
    const a = this.deps.account();
    if (!a) throw new Error('Not signed in.');
    return a;
  }
}
