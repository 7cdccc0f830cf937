import { describe, expect, it } from 'vitest';
import { IqError, NS } from '../../module';
import { ModuleTestBed, stanza, wire } from '../test-context';
import { pingModule, type PingApi } from '.';

const setup = () => {
  const host = new ModuleTestBed([pingModule]);
  return { host, ctx: host.ctx, api: host.api<PingApi>('xep0199-ping') };
};

describe('XEP-0199 ping', () => {
  it('announces urn:xmpp:ping', () => {
    expect(setup().ctx.features()).toEqual([NS.ping]);
  });

  it('answers a ping with an empty result (§4.1)', async () => {
    const { host } = setup();
    const res = await host.receive(stanza(`<iq type='get' id='s2c1' from='example.org' to='alice@example.org/flint'><ping xmlns='urn:xmpp:ping'/></iq>`));
    expect(wire(res!)).toBe(`<iq type='result' id='s2c1' to='example.org'/>`);
  });

  it('pings the server by default and resolves with the round-trip time', async () => {
    const { ctx, api } = setup();
    const rtt = api.ping();
    const [iq] = ctx.pendingIqs();
    expect(wire(iq!)).toBe(`<iq type='get' to='example.org' id='id1'><ping xmlns='urn:xmpp:ping'/></iq>`);
    ctx.advance(42);
    ctx.answerIq('id1', null);
    await expect(rtt).resolves.toBe(42);
  });

  it('pings a given JID', async () => {
    const { ctx, api } = setup();
    const rtt = api.ping('bob@example.org/phone');
    expect(ctx.pendingIqs()[0]!.attr('to')).toBe('bob@example.org/phone');
    ctx.advance(7);
    ctx.answerIq('id1', null);
    await expect(rtt).resolves.toBe(7);
  });

  it.each(['service-unavailable', 'feature-not-implemented'])('treats a %s answer as alive (§6)', async (condition) => {
    const { ctx, api } = setup();
    const rtt = api.ping();
    ctx.advance(3);
    ctx.answerIq('id1', new IqError(condition, 'cancel'));
    await expect(rtt).resolves.toBe(3);
  });

  it('rejects on other errors, which do not prove the target answered', async () => {
    const { ctx, api } = setup();
    const rtt = api.ping('bob@elsewhere.example');
    ctx.answerIq('id1', new IqError('remote-server-not-found', 'cancel'));
    await expect(rtt).rejects.toMatchObject({ condition: 'remote-server-not-found' });
  });

  it('rejects on timeout, with the given timeout', async () => {
    const { ctx, api } = setup();
    const rtt = api.ping(undefined, 5000);
    ctx.advance(4999);
    expect(ctx.pendingIqs()).toHaveLength(1);
    ctx.advance(1);
    await expect(rtt).rejects.toBeInstanceOf(IqError);
  });

  it('rejects when the stream ends', async () => {
    const { host, api } = setup();
    const rtt = api.ping();
    host.offline();
    await expect(rtt).rejects.toThrow('stream ended');
  });
});
