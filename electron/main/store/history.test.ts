import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../../shared/domain';
import { HistoryStore, type StoredMessage } from './history';

const ME = 'alice@example.test';
const BOB = 'bob@example.test';
const CAROL = 'carol@example.test';

let n = 0;
function incoming(body: string, extra: Partial<StoredMessage> = {}): StoredMessage {
  n++;
  return { account: ME, id: `in${n}`, peer: BOB, from: `${BOB}/phone`, to: `${ME}/pc`, direction: 'in', type: 'chat', body, timestamp: 1_700_000_000_000 + n * 1000, state: 'delivered', ...extra };
}
function outgoing(body: string, extra: Partial<StoredMessage> = {}): StoredMessage {
  n++;
  const id = `out${n}`;
  return { account: ME, id, originId: id, peer: BOB, from: `${ME}/pc`, to: BOB, direction: 'out', type: 'chat', body, timestamp: 1_700_000_000_000 + n * 1000, state: 'sent', ...extra };
}

describe('HistoryStore', () => {
  let dir: string;
  let file: string;
  let store: HistoryStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'flint-history-'));
    file = join(dir, 'history.sqlite3');
    store = new HistoryStore(file);
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const bodies = (msgs: ChatMessage[]) => msgs.map((m) => m.body);

  describe('writes', () => {
    it('resolves an insert only once its transaction has committed (another connection sees it)', async () => {
      const reader = new Database(file, { readonly: true });
      const count = () => reader.prepare('SELECT count(*) FROM messages').pluck().get();
      const p = store.insert(incoming('hello'));
      expect(count()).toBe(0); // queued, not yet written
      const r = await p;
      expect(r.inserted).toBe(true);
      expect(count()).toBe(1);
      reader.close();
    });

    it('commits a flood of 20,000 writes in order, in slices that let the event loop run between them', async () => {
      const ps = Array.from({ length: 20_000 }, (_, i) => store.insert(incoming(`m${i}`, { timestamp: 1_700_000_000_000 })));
      let settled = 0;
      for (const p of ps) void p.then(() => settled++);
      // Another task queued in the same turn runs after the first slice, long before the last.
      const settledWhenOtherTaskRan = await new Promise<number>((r) => setImmediate(() => r(settled)));
      const results = await Promise.all(ps);
      expect(settledWhenOtherTaskRan).toBeGreaterThan(0);
      expect(settledWhenOtherTaskRan).toBeLessThan(20_000);
      expect(results.every((r) => r.inserted)).toBe(true);
      expect(results.map((r) => r.id)).toEqual([...results.map((r) => r.id)].sort((a, b) => a - b));
      const page = store.page(ME, BOB, { limit: 3 });
      expect(bodies(page.messages)).toEqual(['m19997', 'm19998', 'm19999']);
    });

    it('rejects one bad write without losing the others of its batch', async () => {
      const good1 = store.insert(incoming('one'));
      const bad = store.insert(incoming('bad', { direction: 'sideways' as 'in' }));
      const good2 = store.insert(incoming('two'));
      await expect(bad).rejects.toThrow(/CHECK/);
      await expect(good1).resolves.toMatchObject({ inserted: true });
      await expect(good2).resolves.toMatchObject({ inserted: true });
      expect(bodies(store.page(ME, BOB).messages)).toEqual(['one', 'two']);
    });

    it('drains queued writes on close', async () => {
      const p = store.insert(incoming('last words'));
      store.close();
      await expect(p).resolves.toMatchObject({ inserted: true });
      await expect(store.insert(incoming('too late'))).rejects.toThrow(/closed/);
      store = new HistoryStore(file);
      expect(bodies(store.page(ME, BOB).messages)).toEqual(['last words']);
    });
  });

  describe('exact bodies', () => {
    const hostile = [
      "'); DROP TABLE messages;--",
      'a lone high surrogate \uD800 here',
      'a lone low surrogate \uDC00 here',
      'reversed pair \uDC00\uD800 and a real one 😀',
      '\uD83D',
      'NUL \u0000 inside, and \r\n line ends \r',
      'x'.repeat(2 * 1024 * 1024),
      '<script>alert(1)</script> & &amp; "quotes" \u202Eevil',
    ];

    it('stores hostile bodies and reads them back exactly, also after reopening', async () => {
      for (const body of hostile) await store.insert(incoming(body));
      const read = () => bodies(store.page(ME, BOB, { limit: 100 }).messages);
      expect(read()).toEqual(hostile);
      store.close();
      store = new HistoryStore(file);
      expect(read()).toEqual(hostile);
      expect(store.db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'messages'").pluck().get()).toBe(1);
    });

    it('keeps lone surrogates findable through their well-formed copy', async () => {
      await store.insert(incoming('broken \uD800 text with a needle'));
      const [hit] = store.search(ME, 'needle');
      expect(hit?.message.body).toBe('broken \uD800 text with a needle');
      expect(hit?.snippet.text).toContain('\uFFFD');
    });
  });

  describe('deduplication', () => {
    it('stores an archived copy of a live message once (stanza-id by our own JID)', async () => {
      const live = await store.insert(incoming('hi', { id: 'x1', stanzaId: 'A1' }));
      const archived = await store.insert(incoming('hi', { id: 'x1', stanzaId: 'A1', via: 'archive' }));
      expect(live.inserted).toBe(true);
      expect(archived).toMatchObject({ inserted: false, id: live.id, changed: false });
      expect(store.page(ME, BOB).messages).toHaveLength(1);
    });

    it('keeps two incoming messages that reuse an id but have different stanza-ids', async () => {
      await store.insert(incoming('first', { id: 'same', stanzaId: 'A1' }));
      const second = await store.insert(incoming('second', { id: 'same', stanzaId: 'A2', via: 'archive' }));
      expect(second.inserted).toBe(true);
      expect(bodies(store.page(ME, BOB).messages)).toEqual(['first', 'second']);
    });

    it('does not merge live incoming messages by id alone (no stanza-id: the peer may reuse ids)', async () => {
      await store.insert(incoming('one', { id: 'dup' }));
      const again = await store.insert(incoming('two', { id: 'dup' }));
      expect(again.inserted).toBe(true);
    });

    it('merges our own message with its carbon and its archived copy by origin-id, learning the stanza-id', async () => {
      const sent = await store.insert(outgoing('mine', { id: 'o1', originId: 'o1' }));
      const carbon = await store.insert(outgoing('mine', { id: 'o1', originId: 'o1', via: 'carbon' }));
      const archived = await store.insert(outgoing('mine', { id: 'server-rewritten', originId: 'o1', stanzaId: 'A9', via: 'archive' }));
      expect(carbon).toMatchObject({ inserted: false, id: sent.id, changed: false });
      expect(archived).toMatchObject({ inserted: false, id: sent.id, changed: true });
      const [m] = store.page(ME, BOB).messages;
      expect(m).toMatchObject({ body: 'mine', stanzaId: 'A9', id: 'o1' });
      // …and now the archive id alone finds it.
      expect((await store.insert(outgoing('mine', { id: 'zz', originId: 'zz', stanzaId: 'A9', via: 'archive' }))).inserted).toBe(false);
    });

    it('merges an incoming carbon (no stanza-id) with the archived copy of the same message', async () => {
      const carbon = await store.insert(incoming('to my other device', { id: 'c1', originId: 'c1o', via: 'carbon' }));
      const archived = await store.insert(incoming('to my other device', { id: 'c1', originId: 'c1o', stanzaId: 'A5', via: 'archive' }));
      expect(archived).toMatchObject({ inserted: false, id: carbon.id, changed: true });
      // The archived copy coming first, then the carbon, is one message too.
      const a2 = await store.insert(incoming('later', { id: 'c2', stanzaId: 'A6', via: 'archive' }));
      const c2 = await store.insert(incoming('later', { id: 'c2', via: 'carbon' }));
      expect(c2).toMatchObject({ inserted: false, id: a2.id });
    });

    it('does not match own messages across conversations or accounts', async () => {
      await store.insert(outgoing('to bob', { id: 'k', originId: 'k' }));
      expect((await store.insert(outgoing('to carol', { id: 'k', originId: 'k', peer: CAROL, to: CAROL }))).inserted).toBe(true);
      expect((await store.insert(outgoing('other account', { id: 'k', originId: 'k', account: 'zed@example.test' }))).inserted).toBe(true);
    });

    it('moves a duplicate’s state forward, never back', async () => {
      await store.insert(outgoing('s', { id: 'p1', originId: 'p1', state: 'pending' }));
      expect((await store.insert(outgoing('s', { id: 'p1', originId: 'p1', state: 'sent', via: 'carbon' }))).message.state).toBe('sent');
      expect(await store.updateState(ME, BOB, 'p1', 'delivered')).toMatchObject({ state: 'delivered' });
      expect(await store.updateState(ME, BOB, 'p1', 'sent')).toBeUndefined();
      expect(await store.updateState(ME, BOB, 'p1', 'error', 'late error')).toBeUndefined();
      expect(store.page(ME, BOB).messages[0]!.state).toBe('delivered');
    });

    it('applies an error reply to our message even when the error came without a sender (peer unknown)', async () => {
      await store.insert(outgoing('x', { id: 'e1', originId: 'e1' }));
      expect(await store.updateState(ME, '', 'e1', 'error', 'The recipient does not exist.')).toMatchObject({ peer: BOB, state: 'error', error: 'The recipient does not exist.' });
      expect(await store.updateState(ME, BOB, 'nope', 'delivered')).toBeUndefined();
    });
  });

  describe('pages', () => {
    it('pages a conversation newest first, in chronological order within a page, through equal timestamps', async () => {
      // 25 messages, five per timestamp, inserted out of time order: order is (timestamp, arrival).
      const ts = [3, 1, 4, 0, 2];
      for (const t of ts) for (let i = 0; i < 5; i++) await store.insert(incoming(`t${t}-${i}`, { timestamp: 1_000 + t }));
      await store.insert(incoming('other conversation', { peer: CAROL, timestamp: 5_000 }));
      const seen: string[] = [];
      let page = store.page(ME, BOB, { limit: 7 });
      expect(page.newer).toBeUndefined();
      for (;;) {
        seen.unshift(...bodies(page.messages));
        if (!page.older) break;
        page = store.page(ME, BOB, { before: page.older, limit: 7 });
        expect(page.newer).toBeDefined();
      }
      const expected = [0, 1, 2, 3, 4].flatMap((t) => [0, 1, 2, 3, 4].map((i) => `t${t}-${i}`));
      expect(seen).toEqual(expected);
      // …and forward again from the first message.
      const first = store.page(ME, BOB, { limit: 1, before: store.page(ME, BOB, { limit: 25 }).messages[1]!.cursor });
      expect(bodies(first.messages)).toEqual(['t0-0']);
      expect(first.older).toBeUndefined();
      const fwd: string[] = [...bodies(first.messages)];
      let next = store.page(ME, BOB, { after: first.messages[0]!.cursor, limit: 10 });
      for (;;) {
        fwd.push(...bodies(next.messages));
        expect(next.older).toBeDefined();
        if (!next.newer) break;
        next = store.page(ME, BOB, { after: next.newer, limit: 10 });
      }
      expect(fwd).toEqual(expected);
    });

    it('keeps the archive’s order against live messages of the same second (stamps have no milliseconds)', async () => {
      const second = 1_700_000_000_000;
      await store.insert(incoming('live 1', { id: 'l1', stanzaId: 'A1', timestamp: second + 400 }));
      await store.insert(incoming('live 2', { id: 'l2', stanzaId: 'A3', timestamp: second + 500 }));
      const page = [
        incoming('live 1', { id: 'l1', stanzaId: 'A1', timestamp: second }),
        incoming('missed a', { id: 'ma', stanzaId: 'A2', timestamp: second }),
        incoming('live 2', { id: 'l2', stanzaId: 'A3', timestamp: second }),
        incoming('missed b', { id: 'mb', stanzaId: 'A4', timestamp: second }),
      ];
      const results = await store.insertArchived(ME, page, {});
      expect(results.map((r) => r.inserted)).toEqual([false, true, false, true]);
      expect(bodies(store.page(ME, BOB).messages)).toEqual(['live 1', 'missed a', 'live 2', 'missed b']);
      // A message missed before everything stored (delivered elsewhere) still comes first.
      await store.insertArchived(ME, [incoming('missed first', { stanzaId: 'A0', timestamp: second + 999 }), page[0]!], {});
      expect(bodies(store.page(ME, BOB).messages)[0]).toBe('missed first');
    });

    it('pages older archive results in strictly before what they precede', async () => {
      const t = 1_700_000_005_000;
      await store.insert(incoming('oldest stored', { stanzaId: 'B5', timestamp: t }));
      await store.insertArchived(ME, [incoming('older x', { stanzaId: 'B3', timestamp: t }), incoming('older y', { stanzaId: 'B4', timestamp: t })], { before: 'B5' });
      expect(bodies(store.page(ME, BOB).messages)).toEqual(['older x', 'older y', 'oldest stored']);
      expect(store.page(ME, BOB).messages.map((m) => m.timestamp)).toEqual([t - 2, t - 1, t]);
    });

    it('clamps absurd timestamps for ordering without failing', async () => {
      await store.insert(incoming('nan', { timestamp: Number.NaN }));
      await store.insert(incoming('year 0', { timestamp: Date.UTC(0, 0, 1) }));
      await store.insert(incoming('far future', { timestamp: 1e20 }));
      await store.insert(incoming('minus infinity', { timestamp: -Infinity }));
      const msgs = store.page(ME, BOB).messages;
      // Not a number at all: no better guess than when it arrived.
      expect(bodies(msgs)).toEqual(['year 0', 'nan', 'minus infinity', 'far future']);
      expect(msgs.map((m) => m.timestamp)).toEqual([0, expect.any(Number), expect.any(Number), 8_640_000_000_000_000]);
    });

    it('refuses a cursor that is not one', () => {
      expect(() => store.page(ME, BOB, { before: "1; DROP TABLE messages" })).toThrow(/cursor/);
    });

    it('lists the most recently active conversations with their latest page', async () => {
      await store.insert(incoming('old bob', { timestamp: 10 }));
      await store.insert(incoming('carol', { peer: CAROL, from: CAROL, timestamp: 20 }));
      await store.insert(incoming('new bob', { timestamp: 30 }));
      await store.insert(incoming('dave', { peer: 'dave@x', from: 'dave@x', timestamp: 5 }));
      const recent = store.recent(ME, { conversations: 2, perConversation: 1 });
      expect(Object.keys(recent)).toEqual([BOB, CAROL]);
      expect(bodies(recent[BOB]!)).toEqual(['new bob']);
    });
  });

  describe('search', () => {
    beforeEach(async () => {
      await store.insert(incoming('The database migration finished at noon'));
      await store.insert(incoming('你好，我们的数据库今天很慢', { peer: CAROL, from: CAROL }));
      await store.insert(incoming('你x好 are not adjacent here'));
      await store.insert(incoming('日本語のデータベースです'));
      await store.insert(incoming('Café au lait, ok?'));
      await store.insert(incoming('Databases for another account', { account: 'zed@example.test' }));
    });
    const found = (q: string) => store.search(ME, q).map((h) => h.message.body);

    it('finds an English word anywhere in a message, case-insensitively', () => {
      expect(found('DATABASE')).toEqual(['The database migration finished at noon']);
      expect(found('migra')).toEqual(['The database migration finished at noon']);
    });

    it('finds Chinese terms of 2 and 3 characters, and 1', () => {
      expect(found('数据库')).toEqual(['你好，我们的数据库今天很慢']);
      expect(found('你好')).toEqual(['你好，我们的数据库今天很慢']);
      expect(found('慢')).toEqual(['你好，我们的数据库今天很慢']);
      expect(found('データ')).toEqual(['日本語のデータベースです']);
    });

    it('does not match CJK characters that are only adjacent once the Latin between them is dropped', () => {
      expect(found('你好')).not.toContain('你x好 are not adjacent here');
    });

    it('combines terms (all must occur) and ignores accents', () => {
      expect(found('cafe lait')).toEqual(['Café au lait, ok?']);
      expect(found('数据库 你好')).toEqual(['你好，我们的数据库今天很慢']);
      expect(found('database 你好')).toEqual([]);
      expect(found('ok')).toEqual(['Café au lait, ok?']);
    });

    it('keeps accounts apart', () => {
      expect(found('Databases')).toEqual([]);
      expect(store.search('zed@example.test', 'databases')).toHaveLength(1);
    });

    it('treats query syntax as literal text', async () => {
      await store.insert(incoming('he said "NEAR(a b)" AND * OR - ^ {x}: 100% _done_'));
      for (const q of ['"NEAR(a b)"', 'AND', '*', '100%', '_done_', '{x}:', '"', "'); DROP TABLE messages;--"]) {
        expect(() => store.search(ME, q)).not.toThrow();
      }
      expect(found('"NEAR(a')).toHaveLength(1);
      expect(found('100%')).toHaveLength(1);
      expect(found('%')).toHaveLength(1); // literal percent, not "anything"
      expect(found('_d')).toHaveLength(1);
      expect(found('   ')).toEqual([]);
    });

    it('returns a snippet with the match marked and the message’s cursor to open it', async () => {
      const long = `${'lorem ipsum '.repeat(20)}the needle is here${' dolor sit'.repeat(20)}`;
      const r = await store.insert(incoming(long));
      const [hit] = store.search(ME, 'Needle');
      expect(hit!.message.cursor).toBe(r.message.cursor);
      expect(hit!.snippet.text.startsWith('…')).toBe(true);
      expect(hit!.snippet.text.endsWith('…')).toBe(true);
      const [[s, e]] = hit!.snippet.highlights as [[number, number]];
      expect(hit!.snippet.text.slice(s, e)).toBe('needle');
      const around = store.page(ME, BOB, { before: hit!.message.cursor, limit: 1 });
      expect(around.newer).toBe(around.messages[0]!.cursor);
      expect(store.page(ME, BOB, { after: around.newer!, limit: 1 }).messages[0]!.body).toBe(long);
    });

    it('finds a corrected message by its new text only, and only the original sender may correct', async () => {
      const r = await store.insert(incoming('I will be late', { id: 'c1' }));
      expect(await store.correct(ME, BOB, 'c1', 'hijacked', 'mallory@evil.test')).toEqual({ status: 'refused' });
      expect(await store.correct(ME, BOB, 'nope', 'x', BOB)).toEqual({ status: 'unknown' });
      expect(await store.correct(ME, BOB, 'c1', 'I will be early', BOB)).toMatchObject({ status: 'applied', message: { body: 'I will be early', cursor: r.message.cursor } });
      // Our own message may be corrected by us (from another of our devices), by no one else.
      await store.insert(outgoing('typo', { id: 'o9', originId: 'o9' }));
      expect(await store.correct(ME, BOB, 'o9', 'hijack', BOB)).toEqual({ status: 'refused' });
      expect(await store.correct(ME, BOB, 'o9', 'fixed', ME)).toMatchObject({ status: 'applied' });
      expect(found('late')).toEqual([]);
      expect(found('early')).toEqual(['I will be early']);
    });
  });

  it('lists our messages still waiting for a receipt, oldest first, the newest `limit` of them', async () => {
    await store.insert(outgoing('a', { id: 'w1', originId: 'w1' }));
    await store.insert(outgoing('b', { id: 'w2', originId: 'w2', peer: CAROL, to: CAROL }));
    await store.insert(outgoing('c', { id: 'w3', originId: 'w3' }));
    await store.insert(outgoing('queued', { id: 'w4', originId: 'w4', state: 'pending' }));
    await store.insert(incoming('theirs'));
    await store.updateState(ME, BOB, 'w3', 'delivered');
    expect(store.awaitingReceipt(ME)).toEqual([
      { id: 'w1', peer: BOB },
      { id: 'w2', peer: CAROL },
    ]);
    expect(store.awaitingReceipt(ME, 1)).toEqual([{ id: 'w2', peer: CAROL }]);
  });

  describe('displayed marks (XEP-0333)', () => {
    const mine = (id: string, extra: Partial<StoredMessage> = {}) => outgoing(id, { id, originId: id, ...extra });

    it('moves the mark only forward in the conversation’s order, and keeps it across a reopen', async () => {
      for (const id of ['k1', 'k2', 'k3']) await store.insert(mine(id));
      expect(store.displayedMarks(ME)).toEqual({});
      expect(await store.markDisplayed(ME, BOB, 'k2')).toEqual({ status: 'advanced', id: 'k2' });
      // An older message's marker (another device of the peer, a late repeat) does not move it back; nor does a repeat.
      expect(await store.markDisplayed(ME, BOB, 'k1')).toEqual({ status: 'kept' });
      expect(await store.markDisplayed(ME, BOB, 'k2')).toEqual({ status: 'kept' });
      expect({ ...store.displayedMarks(ME) }).toEqual({ [BOB]: 'k2' });
      expect(await store.markDisplayed(ME, BOB, 'k3')).toEqual({ status: 'advanced', id: 'k3' });
      store.close();
      store = new HistoryStore(file);
      expect({ ...store.displayedMarks(ME) }).toEqual({ [BOB]: 'k3' });
      expect(await store.markDisplayed(ME, BOB, 'k1')).toEqual({ status: 'kept' });
      expect({ ...store.displayedMarks(ME) }).toEqual({ [BOB]: 'k3' });
    });

    it('orders by the marked message’s place (timestamp, then arrival), not by when the marker came', async () => {
      await store.insert(mine('late', { timestamp: 2_000 }));
      await store.insert(mine('early', { timestamp: 1_000 })); // stored after, placed before (e.g. from the archive)
      await store.insert(mine('tie1', { timestamp: 3_000 }));
      await store.insert(mine('tie2', { timestamp: 3_000 }));
      await store.markDisplayed(ME, BOB, 'late');
      expect(await store.markDisplayed(ME, BOB, 'early')).toEqual({ status: 'kept' });
      expect(await store.markDisplayed(ME, BOB, 'tie2')).toEqual({ status: 'advanced', id: 'tie2' });
      expect(await store.markDisplayed(ME, BOB, 'tie1')).toEqual({ status: 'kept' });
      expect({ ...store.displayedMarks(ME) }).toEqual({ [BOB]: 'tie2' });
    });

    it('ignores a marker for anything but our own message in that conversation', async () => {
      await store.insert(mine('ours'));
      await store.insert(mine('to-carol', { peer: CAROL, to: CAROL }));
      await store.insert(incoming('theirs', { id: 'theirs' }));
      await store.markDisplayed(ME, BOB, 'ours');
      expect(await store.markDisplayed(ME, BOB, 'never-sent')).toEqual({ status: 'unknown' });
      expect(await store.markDisplayed(ME, BOB, 'theirs')).toEqual({ status: 'unknown' });
      // Bob cannot mark what we wrote to carol.
      expect(await store.markDisplayed(ME, BOB, 'to-carol')).toEqual({ status: 'unknown' });
      expect({ ...store.displayedMarks(ME) }).toEqual({ [BOB]: 'ours' });
    });

    it('keeps marks per account and per conversation', async () => {
      const OTHER = 'alice@work.test';
      await store.insert(mine('a1'));
      await store.insert(mine('a2', { peer: CAROL, to: CAROL }));
      await store.insert(mine('b1', { account: OTHER, from: `${OTHER}/pc` }));
      expect(await store.markDisplayed(OTHER, BOB, 'a1')).toEqual({ status: 'unknown' }); // ME's message, not OTHER's
      await store.markDisplayed(ME, BOB, 'a1');
      await store.markDisplayed(ME, CAROL, 'a2');
      await store.markDisplayed(OTHER, BOB, 'b1');
      expect({ ...store.displayedMarks(ME) }).toEqual({ [BOB]: 'a1', [CAROL]: 'a2' });
      expect({ ...store.displayedMarks(OTHER) }).toEqual({ [BOB]: 'b1' });
      expect(store.displayedMarks('nobody@example.test')).toEqual({});
    });

    it('commits after the message it marks when both are queued', async () => {
      const reader = new Database(file, { readonly: true });
      const stored = reader.prepare('SELECT count(*) FROM displayed_marks').pluck();
      const inserted = store.insert(mine('fresh'));
      const marked = store.markDisplayed(ME, BOB, 'fresh');
      expect(stored.get()).toBe(0); // queued, not yet written
      expect(await marked).toEqual({ status: 'advanced', id: 'fresh' });
      expect((await inserted).inserted).toBe(true);
      expect(stored.get()).toBe(1);
      reader.close();
    });

    it('names the message by the id the app knows it by when a carbon’s origin-id differs', async () => {
      // Sent from another client of ours: stanza id and origin-id differ; matched as receipts are.
      await store.insert(outgoing('from the phone', { id: 'stanza-7', originId: 'origin-7', via: 'carbon' }));
      expect(await store.markDisplayed(ME, BOB, 'origin-7')).toEqual({ status: 'advanced', id: 'stanza-7' });
      expect({ ...store.displayedMarks(ME) }).toEqual({ [BOB]: 'stanza-7' });
    });
  });

  describe('archive bookkeeping', () => {
    it('remembers the last archive id per account, across a reopen, committed after the messages before it', async () => {
      expect(store.lastArchiveId(ME)).toBeUndefined();
      void store.insert(incoming('a', { stanzaId: 'S1' }));
      await store.setLastArchiveId(ME, 'S1');
      store.close();
      store = new HistoryStore(file);
      expect(store.lastArchiveId(ME)).toBe('S1');
      expect(store.lastArchiveId('zed@example.test')).toBeUndefined();
      expect(store.oldestArchiveId(ME, BOB)).toBe('S1');
      expect(store.archiveStartReached(ME, BOB)).toBe(false);
      await store.markArchiveStart(ME, BOB);
      expect(store.archiveStartReached(ME, BOB)).toBe(true);
    });

    it('stores an archive page and its last id in one write: the id never commits without the messages', async () => {
      await store.insertArchived(ME, [incoming('p1', { stanzaId: 'P1' }), incoming('p2', { stanzaId: 'P2' })], { after: '' }, 'P2');
      expect(store.lastArchiveId(ME)).toBe('P2');
      const broken = store.insertArchived(ME, [incoming('p3', { stanzaId: 'P3' }), incoming('bad', { stanzaId: 'P4', direction: 'sideways' as 'in' })], { after: 'P2' }, 'P4');
      await expect(broken).rejects.toThrow(/CHECK/);
      expect(store.lastArchiveId(ME)).toBe('P2');
      expect(bodies(store.page(ME, BOB).messages)).toEqual(['p1', 'p2']);
    });

    it('finds the stored copy of an archived message by id in either direction', async () => {
      // The dedupe lookup has one statement per direction (see byKey in history.ts).
      const mine = await store.insert(outgoing('mine', { id: 'd1', originId: 'd1' }));
      const theirs = await store.insert(incoming('theirs', { id: 'd1', via: 'carbon' }));
      const archived = await store.insertArchived(ME, [outgoing('mine', { id: 'x', originId: 'd1', stanzaId: 'Q1' }), incoming('theirs', { id: 'd1', stanzaId: 'Q2' })], { after: '' });
      expect(archived.map((r) => [r.inserted, r.id])).toEqual([
        [false, mine.id],
        [false, theirs.id],
      ]);
    });
  });

  describe('export', () => {
    beforeEach(async () => {
      await store.insert(incoming('<b>hi</b> & "you"\nsecond line', { timestamp: Date.UTC(2024, 4, 1, 12, 0, 0) }));
      await store.insert(outgoing("it's <script>x</script> \uD800", { timestamp: Date.UTC(2024, 4, 1, 12, 1, 0) }));
      await store.insert(outgoing('never went', { state: 'error', error: 'Recipient <unknown>', timestamp: Date.UTC(2024, 4, 1, 12, 2, 0) }));
    });

    it('writes a plain-text transcript, continuation lines indented', () => {
      const text = store.export(ME, BOB, 'text');
      const lines = text.split('\n');
      expect(lines[0]).toBe(`Conversation with ${BOB}`);
      expect(lines[3]).toMatch(/^\[2024-05-0[12] \d\d:\d\d:00\] bob@example\.test: <b>hi<\/b> & "you"$/);
      expect(lines[4]).toBe('    second line');
      expect(lines[5]).toMatch(/alice@example\.test: it's <script>x<\/script> \uFFFD$/);
      expect(lines[6]).toMatch(/never went \(not delivered: Recipient <unknown>\)$/);
    });

    it('writes HTML with everything from the network escaped and nothing active', () => {
      const html = store.export(ME, BOB, 'html');
      expect(html).toContain('&lt;b&gt;hi&lt;/b&gt; &amp; &quot;you&quot;\nsecond line');
      expect(html).toContain('it&#39;s &lt;script&gt;x&lt;/script&gt; \uFFFD');
      expect(html).toContain('Recipient &lt;unknown&gt;');
      expect(html).not.toMatch(/<script|<b>|\uD800/);
      expect(html).toContain("default-src 'none'");
      expect(html).toContain('datetime="2024-05-01T12:00:00.000Z"');
    });
  });
});
