import { describe, expect, it } from 'vitest';
import { NS } from '../../module';
import { ModuleTestBed, stanza, TEST_NOW, wire } from '../test-context';
import { presenceModule } from '../rfc6121-presence';
import { parseResourcePresence } from '../rfc6121-presence/parse';
import { formatDateTime, idleModule, IDLE_MODULE, parseLastActivity, type IdleApi } from '.';

const setup = () => {
  const host = new ModuleTestBed([idleModule(), presenceModule({ contributors: [IDLE_MODULE] })]);
  return { host, ctx: host.ctx, api: host.api<IdleApi>(IDLE_MODULE) };
};

describe('XEP-0319 our idle time', () => {
  it('announces urn:xmpp:idle:1', () => {
    expect(setup().ctx.features()).toEqual([NS.idle]);
  });

  it('adds <idle since/> to our presence while idle, re-sends on change, drops it when back', async () => {
    const { host, ctx, api } = setup();
    await host.online();
    ctx.clear();
    api.setIdleSince(TEST_NOW - 300_500);
    api.setIdleSince(new Date(TEST_NOW - 300_500)); // same time: nothing new to say
    api.setIdleSince(null);
    expect(ctx.sent.map(wire)).toEqual([`<presence><idle xmlns='urn:xmpp:idle:1' since='2023-11-14T22:08:19Z'/></presence>`, `<presence/>`]);
  });

  it('lets the caller change show in the same presence (broadcast: false), clamps the future to now', async () => {
    const { host, ctx, api } = setup();
    await host.online();
    ctx.clear();
    api.setIdleSince(TEST_NOW + 60_000, { broadcast: false });
    expect(ctx.sent).toEqual([]);
    expect(api.idleSince()).toBe(TEST_NOW);
    expect(() => api.setIdleSince(Number.NaN)).toThrow();
  });

  it('what we send is what rfc6121-presence reads back', () => {
    const { api } = setup();
    api.setIdleSince(TEST_NOW - 1000, { broadcast: false });
    const el = stanza(`<presence from='alice@example.org/flint'>${wire(api.presenceChild()!)}</presence>`);
    expect(parseResourcePresence(el, 'flint').idleSince).toBe(new Date(Math.floor((TEST_NOW - 1000) / 1000) * 1000).toISOString());
    expect(formatDateTime(Date.UTC(1969, 6, 21, 2, 56, 15))).toBe('1969-07-21T02:56:15Z');
  });
});

describe('XEP-0012 last activity', () => {
  it('asks jabber:iq:last and reads seconds and status (Examples 1–4)', async () => {
    const { ctx, api } = setup();
    ctx.responder = () => stanza(`<query xmlns='jabber:iq:last' seconds='903'>Heading Home</query>`);
    await expect(api.lastActivity('romeo@montague.net')).resolves.toEqual({ seconds: 903, status: 'Heading Home' });
    expect(wire(ctx.sent[0]!)).toBe(`<iq type='get' to='romeo@montague.net' id='id1'><query xmlns='jabber:iq:last'/></iq>`);
  });

  it('rejects answers without valid seconds', async () => {
    const { ctx, api } = setup();
    ctx.responder = () => stanza(`<query xmlns='jabber:iq:last' seconds='-5'/>`);
    await expect(api.lastActivity('romeo@montague.net/orchard')).rejects.toMatchObject({ condition: 'bad-request' });
    expect(parseLastActivity(stanza(`<query xmlns='jabber:iq:last' seconds='0'/>`))).toEqual({ seconds: 0 });
    expect(parseLastActivity(stanza(`<query xmlns='jabber:iq:last'/>`))).toBeUndefined();
  });
});
