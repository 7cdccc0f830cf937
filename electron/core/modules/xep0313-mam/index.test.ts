import { describe, expect, it } from 'vitest';
import { IqError } from '../../module';
import { imModule } from '../rfc6121-im';
import { MAX_FUTURE_MS } from '../rfc6121-im/parse';
import { flush, ModuleTestBed, stanza, TEST_NOW, wire } from '../test-context';
import { MAM_MODULE, mamModule, type MamApi, type MamPage } from '.';

const MAM = `xmlns='urn:xmpp:mam:2'`;
const RSM = `xmlns='http://jabber.org/protocol/rsm'`;

const setup = () => {
  const host = new ModuleTestBed([mamModule, imModule]);
  return { host, ctx: host.ctx, mam: host.api<MamApi>(MAM_MODULE) };
};

const queryOf = (ctx: ModuleTestBed['ctx']) => {
  const iq = ctx.pendingIqs().at(-1)!;
  return { iq, queryid: iq.child('query', 'urn:xmpp:mam:2')!.attr('queryid')! };
};

const result = (queryid: string, id: string, inner: string, opts: { from?: string | null; stamp?: string } = {}) =>
  stanza(
    `<message${opts.from === null || opts.from === undefined ? '' : ` from='${opts.from}'`} to='alice@example.org/flint' id='r-${id}'>` +
      `<result ${MAM} queryid='${queryid}' id='${id}'><forwarded xmlns='urn:xmpp:forward:0'>` +
      `<delay xmlns='urn:xmpp:delay' stamp='${opts.stamp ?? '2023-11-01T10:00:00Z'}'/>${inner}</forwarded></result></message>`,
  );

const fromBob = (body: string, extra = '') =>
  `<message xmlns='jabber:client' from='bob@example.org/phone' to='alice@example.org/flint' type='chat' id='b1'><body>${body}</body>${extra}</message>`;
const toBob = (body: string, id = 'a1') => `<message xmlns='jabber:client' from='alice@example.org/laptop' to='bob@example.org' type='chat' id='${id}'><body>${body}</body></message>`;

const fin = (complete: boolean, first?: string, last?: string, count?: number) =>
  stanza(
    `<fin ${MAM}${complete ? ` complete='true'` : ''}><set ${RSM}>${first ? `<first index='0'>${first}</first>` : ''}${last ? `<last>${last}</last>` : ''}${count !== undefined ? `<count>${count}</count>` : ''}</set></fin>`,
  );

describe('XEP-0313 MAM: queries', () => {
  it('queries our own archive with filters and RSM paging', () => {
    const { ctx, mam } = setup();
    void mam.query({ with: 'bob@example.org', start: '2023-01-01T00:00:00Z', end: '2023-12-31T00:00:00Z', after: 'x9', max: 50 });
    const { iq, queryid } = queryOf(ctx);
    expect(queryid).toMatch(/^[0-9a-f]{18}$/);
    expect(wire(iq)).toBe(
      `<iq type='set' id='id1'><query ${MAM} queryid='${queryid}'><x xmlns='jabber:x:data' type='submit'>` +
        `<field var='FORM_TYPE' type='hidden'><value>urn:xmpp:mam:2</value></field>` +
        `<field var='with'><value>bob@example.org</value></field>` +
        `<field var='start'><value>2023-01-01T00:00:00Z</value></field>` +
        `<field var='end'><value>2023-12-31T00:00:00Z</value></field></x>` +
        `<set ${RSM}><max>50</max><after>x9</after></set></query></iq>`,
    );
  });

  it('asks for the last page with an empty <before/>, and sends no form or set when there is nothing to say', () => {
    const { ctx, mam } = setup();
    void mam.query({ before: true, max: 20 });
    void mam.query({ before: 'x5' });
    void mam.query();
    expect(ctx.pendingIqs().map((iq) => wire(iq.child('query', 'urn:xmpp:mam:2')!).replace(/queryid='[^']*'/, "queryid='Q'"))).toEqual([
      `<query ${MAM} queryid='Q'><set ${RSM}><max>20</max><before/></set></query>`,
      `<query ${MAM} queryid='Q'><set ${RSM}><before>x5</before></set></query>`,
      `<query ${MAM} queryid='Q'/>`,
    ]);
  });

  it('collects the results of its query into a page of messages, in order, both directions', async () => {
    const { host, ctx, mam } = setup();
    const page = mam.query({ max: 3 });
    const { iq, queryid } = queryOf(ctx);
    await host.receive(result(queryid, 'arch-1', fromBob('hello')));
    await host.receive(result(queryid, 'arch-2', toBob('hi Bob', 'a1'), { from: 'alice@example.org', stamp: '2023-11-01T10:01:00.5Z' }));
    // A bodyless entry (a chat marker someone archived) counts for paging but is no message.
    await host.receive(result(queryid, 'arch-3', `<message xmlns='jabber:client' from='bob@example.org/phone' to='alice@example.org'><displayed xmlns='urn:xmpp:chat-markers:0' id='a1'/></message>`));
    ctx.answerIq(iq.attr('id')!, fin(false, 'arch-1', 'arch-3', 120));
    expect(await page).toEqual<MamPage>({
      complete: false,
      first: 'arch-1',
      last: 'arch-3',
      count: 120,
      messages: [
        {
          id: 'b1',
          stanzaId: 'arch-1',
          peer: 'bob@example.org',
          from: 'bob@example.org/phone',
          to: 'alice@example.org/flint',
          direction: 'in',
          type: 'chat',
          body: 'hello',
          timestamp: Date.UTC(2023, 10, 1, 10),
          state: 'delivered',
        },
        {
          id: 'a1',
          stanzaId: 'arch-2',
          peer: 'bob@example.org',
          from: 'alice@example.org/laptop',
          to: 'bob@example.org',
          direction: 'out',
          type: 'chat',
          body: 'hi Bob',
          timestamp: Date.UTC(2023, 10, 1, 10, 1, 0, 500),
          state: 'sent',
        },
      ],
    });
    // Results are consumed: im never saw them as live messages.
    expect(ctx.events).toEqual([]);
  });

  it('marks archived corrections, keeps an empty complete page, and clamps absurd stamps', async () => {
    const { host, ctx, mam } = setup();
    const page = mam.query();
    const { iq, queryid } = queryOf(ctx);
    await host.receive(result(queryid, 'c1', fromBob('fixed', `<replace xmlns='urn:xmpp:message-correct:0' id='b0'/>`), { stamp: '9999-12-31T23:59:59Z' }));
    await host.receive(result(queryid, 'c2', fromBob('ancient'), { stamp: '0000-01-01T00:00:00Z' }));
    ctx.answerIq(iq.attr('id')!, fin(true, 'c1', 'c2'));
    const { messages, complete } = await page;
    expect(complete).toBe(true);
    expect(messages.map((m) => [m.replaces, m.timestamp])).toEqual([
      ['b0', TEST_NOW + MAX_FUTURE_MS],
      [undefined, 0],
    ]);

    const empty = mam.query({ after: 'c2' });
    ctx.answerIq(queryOf(ctx).iq.attr('id')!, fin(true));
    expect(await empty).toEqual({ messages: [], complete: true });
  });

  it('skips archived groupchat messages and errors', async () => {
    const { host, ctx, mam } = setup();
    const page = mam.query();
    const { iq, queryid } = queryOf(ctx);
    await host.receive(result(queryid, 'g1', `<message xmlns='jabber:client' from='room@muc.example.org/bob' to='alice@example.org' type='groupchat'><body>x</body></message>`));
    await host.receive(result(queryid, 'e1', `<message xmlns='jabber:client' from='bob@example.org' to='alice@example.org' type='error'><body>x</body></message>`));
    ctx.answerIq(iq.attr('id')!, fin(true, 'g1', 'e1'));
    expect((await page).messages).toEqual([]);
  });

  it('rejects when the archive answers with an error (e.g. an id it no longer has) or without <fin/>', async () => {
    const { ctx, mam } = setup();
    const gone = mam.query({ after: 'purged' });
    ctx.answerIq(queryOf(ctx).iq.attr('id')!, new IqError('item-not-found', 'cancel'));
    await expect(gone).rejects.toMatchObject({ condition: 'item-not-found' });
    const odd = mam.query();
    ctx.answerIq(queryOf(ctx).iq.attr('id')!, null);
    await expect(odd).rejects.toThrow(/fin/);
  });
});

describe('XEP-0313 MAM: only our own archive, only our queries', () => {
  it.each<[string, string]>([
    ['another user', 'bob@example.org'],
    ['another user’s resource', 'bob@example.org/phone'],
    ['one of our own resources', 'alice@example.org/other'],
    ['our server', 'example.org'],
  ])('SPOOF: rejects a result from %s, even with our queryid', async (_label, from) => {
    const { host, ctx, mam } = setup();
    const page = mam.query();
    const { iq, queryid } = queryOf(ctx);
    await host.receive(result(queryid, 'evil-1', fromBob('transfer the money'), { from }));
    ctx.answerIq(iq.attr('id')!, fin(true));
    expect((await page).messages).toEqual([]);
    expect(ctx.eventsOf('security.rejected')).toEqual([expect.objectContaining({ from })]);
    expect(ctx.eventsOf('message.received')).toEqual([]);
  });

  it('SPOOF: rejects a result for an unknown queryid, or one without queryid, and shows nothing', async () => {
    const { host, ctx, mam } = setup();
    const page = mam.query();
    const { iq } = queryOf(ctx);
    await host.receive(result('guessed', 'evil-2', fromBob('injected history')));
    await host.receive(stanza(`<message><result ${MAM} id='evil-3'><forwarded xmlns='urn:xmpp:forward:0'>${fromBob('no queryid')}</forwarded></result></message>`));
    ctx.answerIq(iq.attr('id')!, fin(true));
    expect((await page).messages).toEqual([]);
    expect(ctx.eventsOf('security.rejected')).toHaveLength(2);
    expect(ctx.eventsOf('message.received')).toEqual([]);
  });

  it('rejects a late result for a query that has finished', async () => {
    const { host, ctx, mam } = setup();
    const page = mam.query();
    const { iq, queryid } = queryOf(ctx);
    ctx.answerIq(iq.attr('id')!, fin(true));
    await page;
    await host.receive(result(queryid, 'late', fromBob('late')));
    expect(ctx.eventsOf('security.rejected')).toHaveLength(1);
  });

  it('forgets queries in flight when the stream ends', async () => {
    const { host, ctx, mam } = setup();
    const page = mam.query();
    const { queryid } = queryOf(ctx);
    host.offline();
    await expect(page).rejects.toThrow();
    await flush();
    host.startStream();
    await host.receive(result(queryid, 'after', fromBob('after')));
    expect(ctx.eventsOf('security.rejected')).toHaveLength(1);
  });
});
