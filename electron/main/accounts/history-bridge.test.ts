import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChatMessage } from '../../../shared/domain';
import type { CoreEvent } from '../../core/events';
import { IqError } from '../../core/module';
import { silentLogger } from '../../core/ports';
import type { ArchivedMessage, MamPage, MamQuery } from '../../core/modules';
import { HistoryBridge } from './history-bridge';

const ME = 'me@example.test';
const BOB = 'bob@example.test';

/** A server archive: ids A1…An in order, pages capped at `cap` like Prosody's. */
class FakeArchive {
  readonly queries: MamQuery[] = [];
  messages: ArchivedMessage[] = [];
  constructor(private readonly cap = 50) {}
  add(body: string, t: number): ArchivedMessage {
    const id = `A${this.messages.length + 1}`;
    const m: ArchivedMessage = { id: `x${id}`, stanzaId: id, peer: BOB, from: `${BOB}/r`, to: ME, direction: 'in', type: 'chat', body, timestamp: t, state: 'delivered' };
    this.messages.push(m);
    return m;
  }
  async query(q: MamQuery = {}): Promise<MamPage> {
    this.queries.push(q);
    const max = Math.min(q.max ?? this.cap, this.cap);
    const at = (id: string) => {
      const i = this.messages.findIndex((m) => m.stanzaId === id);
      if (i < 0) throw new IqError('item-not-found', 'cancel');
      return i;
    };
    let slice: ArchivedMessage[];
    let complete: boolean;
    if (q.before !== undefined) {
      const end = q.before === true ? this.messages.length : at(q.before);
      slice = this.messages.slice(Math.max(0, end - max), end);
      complete = end - max <= 0;
    } else {
      const start = q.after !== undefined ? at(q.after) + 1 : 0;
      slice = this.messages.slice(start, start + max);
      complete = start + max >= this.messages.length;
    }
    return { messages: slice, complete, ...(slice.length ? { first: slice[0]!.stanzaId, last: slice[slice.length - 1]!.stanzaId } : {}) };
  }
}

describe('HistoryBridge', () => {
  let dir: string;
  let bridge: HistoryBridge;
  let events: CoreEvent[];
  let online: boolean;
  let sent: { to: string; body: string; id?: string }[];
  let failSend: string | undefined;
  let archive: FakeArchive;
  let expected: [string, string][];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'flint-bridge-'));
    events = [];
    online = false;
    sent = [];
    failSend = undefined;
    archive = new FakeArchive(2);
    expected = [];
    const receipts = { expect: (id: string, to: string) => expected.push([id, to]) };
    const im = {
      send(to: string, body: string, opts: { id?: string } = {}): ChatMessage {
        if (failSend && body === failSend) throw new Error('bad address');
        sent.push({ to, body, id: opts.id });
        return { id: opts.id!, peer: to, from: ME, to, direction: 'out', type: 'chat', body, timestamp: 0, state: 'sent' };
      },
    };
    bridge = new HistoryBridge(dir, {
      emit: (e) => events.push(e),
      log: silentLogger,
      account: () => ME,
      api: <T>(name: string) => (online ? (({ 'rfc6121-im': im, 'xep0313-mam': archive, 'xep0184-receipts': receipts } as Record<string, unknown>)[name] as T) : undefined),
    });
  });
  afterEach(() => {
    bridge.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const bodiesOf = (type: CoreEvent['type']) => events.filter((e) => e.type === type).map((e) => (e as { message: ChatMessage }).message.body);

  it('queues offline, then sends in order once online, each once', () => {
    const a = bridge.send(BOB, 'one');
    const b = bridge.send(`${BOB}/phone`, 'two');
    expect([a.state, b.state]).toEqual(['pending', 'pending']);
    expect(sent).toEqual([]);
    online = true;
    bridge.online();
    bridge.online();
    expect(sent).toEqual([
      { to: BOB, body: 'one', id: a.id },
      { to: `${BOB}/phone`, body: 'two', id: b.id },
    ]);
    expect(events).toEqual([
      { type: 'message.updated', id: a.id, peer: BOB, state: 'sent' },
      { type: 'message.updated', id: b.id, peer: BOB, state: 'sent' },
    ]);
    // Online, a new message goes out at once and comes back as sent, without an extra event.
    expect(bridge.send(BOB, 'three').state).toBe('sent');
    expect(events).toHaveLength(2);
  });

  it('tells the receipts module after login which messages sent earlier still wait for a receipt, then catches up', async () => {
    online = true;
    const a = bridge.send(BOB, 'sent before a restart');
    const b = bridge.send(BOB, 'already delivered');
    await bridge.store.updateState(ME, BOB, b.id, 'delivered');
    const done = bridge.catchUpsDone;
    bridge.module.online!(undefined as never, undefined);
    expect(expected).toEqual([[a.id, BOB]]);
    await vi.waitFor(() => expect(bridge.catchUpsDone).toBe(done + 1));
  });

  it('marks a message that cannot be sent with the reason, and Retry sends it', () => {
    online = true;
    failSend = 'doomed';
    const m = bridge.send(BOB, 'doomed');
    expect(m).toMatchObject({ state: 'error', error: 'Could not send: bad address' });
    failSend = undefined;
    expect(bridge.retry(m.id)).toMatchObject({ id: m.id, state: 'sent' });
    expect(sent.map((s) => s.id)).toEqual([m.id]);
  });

  it('reports a received message once, after it is stored', async () => {
    const message: ChatMessage = { id: 'r1', peer: BOB, from: `${BOB}/r`, to: ME, direction: 'in', type: 'chat', body: 'hi', timestamp: 5, stanzaId: 'S1', state: 'delivered' };
    expect(bridge.handle({ type: 'message.received', message })).toBe(true);
    expect(bridge.handle({ type: 'message.received', message })).toBe(true);
    expect(events).toEqual([]); // not before the commit
    await bridge.store.afterWrites();
    expect(events).toEqual([{ type: 'message.received', message }]);
    expect(bridge.handle({ type: 'chat.state', peer: BOB, resource: 'r', state: 'composing' })).toBe(false);
  });

  it('applies a correction only from the original sender', async () => {
    bridge.handle({ type: 'message.received', message: { id: 'r1', peer: BOB, from: `${BOB}/r`, to: ME, direction: 'in', type: 'chat', body: 'teh', timestamp: 5, state: 'delivered' } });
    bridge.handle({ type: 'message.corrected', peer: BOB, id: 'r1', body: 'forged', from: 'eve@example.test/x' });
    bridge.handle({ type: 'message.corrected', peer: BOB, id: 'r1', body: 'the', from: `${BOB}/other` });
    await bridge.store.afterWrites();
    await bridge.store.afterWrites();
    expect(events.map((e) => e.type)).toEqual(['message.received', 'security.rejected', 'message.corrected']);
    expect(bridge.store.page(ME, BOB).messages.map((m) => m.body)).toEqual(['the']);
  });

  it('anchors quietly on the first login, then reports only what came meanwhile, paging forward', async () => {
    for (let i = 0; i < 5; i++) archive.add(`old ${i}`, 1000 + i);
    online = true;
    await bridge.catchUp();
    // Latest 100 wanted; the server gives 2 per page, so the bridge pages back through all 5.
    expect(bridge.store.page(ME, BOB).messages.map((m) => m.body)).toEqual(['old 0', 'old 1', 'old 2', 'old 3', 'old 4']);
    expect(events).toEqual([]);
    expect(bridge.store.lastArchiveId(ME)).toBe('A5');
    for (let i = 0; i < 3; i++) archive.add(`new ${i}`, 2000 + i);
    archive.queries.length = 0;
    await bridge.catchUp();
    expect(bodiesOf('message.received')).toEqual(['new 0', 'new 1', 'new 2']);
    expect(archive.queries).toEqual([
      { after: 'A5', max: 250 },
      { after: 'A7', max: 250 },
    ]);
    expect(bridge.store.lastArchiveId(ME)).toBe('A8');
    await bridge.catchUp();
    expect(bodiesOf('message.received')).toHaveLength(3);
  });

  it('asks for the next page while storing the previous one; a page that fails to store stops the catch-up where the stored pages end', async () => {
    online = true;
    await bridge.catchUp(); // anchor on the empty archive
    for (let i = 0; i < 6; i++) archive.add(`new ${i}`, 2000 + i);
    const broken = archive.messages[3]!;
    broken.direction = 'sideways' as 'in'; // page 2 (A3, A4) cannot be stored
    const storedWhenAsked: number[] = [];
    const query = archive.query.bind(archive);
    archive.query = (q) => {
      storedWhenAsked.push(bridge.store.page(ME, BOB).messages.length);
      return query(q);
    };
    await expect(bridge.catchUp()).rejects.toThrow(/CHECK/);
    // Page 2 was asked for before page 1 was stored, page 3 before page 2 failed.
    expect(archive.queries.slice(-3)).toEqual([{ max: 250 }, { after: 'A2', max: 250 }, { after: 'A4', max: 250 }]);
    expect(storedWhenAsked).toEqual([0, 0, 2]);
    expect(bridge.store.lastArchiveId(ME)).toBe('A2');
    expect(bodiesOf('message.received')).toEqual(['new 0', 'new 1']);
    // Fixed on the server's side: the next catch-up resumes after A2, nothing lost or doubled.
    broken.direction = 'in';
    await bridge.catchUp();
    expect(bodiesOf('message.received')).toEqual(['new 0', 'new 1', 'new 2', 'new 3', 'new 4', 'new 5']);
    expect(bridge.store.page(ME, BOB).messages.map((m) => m.body)).toEqual(['new 0', 'new 1', 'new 2', 'new 3', 'new 4', 'new 5']);
    expect(bridge.store.lastArchiveId(ME)).toBe('A6');
  });

  it('starts from the archive’s first message when it was empty at the first login', async () => {
    online = true;
    await bridge.catchUp();
    expect(bridge.store.lastArchiveId(ME)).toBe('');
    archive.add('first ever', 1);
    await bridge.catchUp();
    expect(bodiesOf('message.received')).toEqual(['first ever']);
  });

  it('re-anchors when the server no longer knows the last id', async () => {
    online = true;
    archive.add('a', 1);
    await bridge.catchUp();
    archive.messages = [];
    archive.add('after a reset', 2); // ids start again at A1 — 'A1' exists, so rename it
    archive.messages[0]!.stanzaId = 'R1';
    await bridge.catchUp();
    expect(bridge.store.lastArchiveId(ME)).toBe('R1');
  });

  it('continues scroll-back in the archive where the local store ends', async () => {
    for (let i = 0; i < 6; i++) archive.add(`m${i}`, 1000 + i * 10);
    online = true;
    // Only the newest two are local (as if received live).
    for (const m of archive.messages.slice(4)) bridge.handle({ type: 'message.received', message: m });
    await bridge.store.afterWrites();
    let page = await bridge.page(BOB, { limit: 2 });
    expect(page.messages.map((m) => m.body)).toEqual(['m4', 'm5']);
    const seen = [...page.messages.map((m) => m.body)];
    while (page.messages.length > 0) {
      page = await bridge.page(BOB, { limit: 2, before: page.messages[0]!.cursor });
      seen.unshift(...page.messages.map((m) => m.body));
    }
    expect(seen).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5']);
    expect(bridge.store.archiveStartReached(ME, BOB)).toBe(true);
    expect(archive.queries.every((q) => q.with === BOB)).toBe(true);
  });
});
