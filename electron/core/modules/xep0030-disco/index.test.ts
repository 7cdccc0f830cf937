import { describe, expect, it } from 'vitest';
import { IqError, NS } from '../../module';
import { ModuleTestBed, stanza, wire } from '../test-context';
import { capsModule, type CapsApi } from '../xep0115-caps';
import { pingModule } from '../xep0199-ping';
import { versionModule } from '../xep0092-version';
import { discoModule, type DiscoApi } from '.';
import { parseDiscoInfo, parseDiscoItems } from './parse';

const setup = (withCaps = true) => {
  const host = new ModuleTestBed([discoModule, ...(withCaps ? [capsModule()] : []), versionModule({ name: 'Flint', version: '1' }), pingModule]);
  return { host, ctx: host.ctx, api: host.api<DiscoApi>('xep0030-disco') };
};

const infoGet = (node?: string) =>
  stanza(`<iq type='get' id='d1' from='bob@example.org/x'><query xmlns='http://jabber.org/protocol/disco#info'${node ? ` node='${node}'` : ''}/></iq>`);

const ourInfo = (nodeAttr = '') =>
  `<query xmlns='http://jabber.org/protocol/disco#info'${nodeAttr}><identity category='client' type='pc' name='Flint'/>` +
  [NS.caps, NS.discoInfo, NS.discoItems, NS.version, NS.ping].map((f) => `<feature var='${f}'/>`).join('') +
  `</query>`;

describe('XEP-0030 disco: answering', () => {
  it('answers disco#info with our identity and every registered feature, sorted', async () => {
    const { host } = setup();
    const res = await host.receive(infoGet());
    expect(wire(res!)).toBe(`<iq type='result' id='d1' to='bob@example.org/x'>${ourInfo()}</iq>`);
  });

  it('answers at our caps node#ver with the same content and that node (XEP-0115 §6.2)', async () => {
    const { host } = setup();
    const node = `https://flint.im#${host.api<CapsApi>('xep0115-caps').ver()}`;
    const res = await host.receive(infoGet(node));
    expect(wire(res!)).toBe(`<iq type='result' id='d1' to='bob@example.org/x'>${ourInfo(` node='${node}'`)}</iq>`);
  });

  it('answers item-not-found at any other node', async () => {
    const { host } = setup();
    const res = await host.receive(infoGet('https://flint.im#not-our-ver'));
    expect(res!.attr('type')).toBe('error');
    expect(res!.child('error')!.child('item-not-found', NS.stanzas)).toBeDefined();
  });

  it('answers item-not-found at a node when caps is not registered', async () => {
    const { host } = setup(false);
    const res = await host.receive(infoGet('https://flint.im#x'));
    expect(res!.child('error')!.child('item-not-found', NS.stanzas)).toBeDefined();
  });

  it('answers disco#items with an empty list', async () => {
    const { host } = setup();
    const res = await host.receive(stanza(`<iq type='get' id='i1' from='example.org'><query xmlns='http://jabber.org/protocol/disco#items'/></iq>`));
    expect(wire(res!)).toBe(`<iq type='result' id='i1' to='example.org'><query xmlns='http://jabber.org/protocol/disco#items'/></iq>`);
  });
});

describe('XEP-0030 disco: querying', () => {
  const serverInfo = stanza(
    `<query xmlns='http://jabber.org/protocol/disco#info'>` +
      `<identity category='server' type='im' name='Prosody'/><identity category='pubsub' type='pep'/><identity type='no-category'/>` +
      `<feature var='urn:xmpp:ping'/><feature var='msgoffline'/><feature/>` +
      `<x xmlns='jabber:x:data' type='result'><field var='FORM_TYPE' type='hidden'><value>http://jabber.org/network/serverinfo</value></field>` +
      `<field var='admin-addresses'><value>mailto:a@example.org</value><value>xmpp:a@example.org</value></field></x>` +
      `</query>`,
  );

  it('sends disco#info, parses the result, and caches it per jid+node for the stream', async () => {
    const { host, ctx, api } = setup();
    const first = api.info('example.org');
    const again = api.info('example.org');
    expect(ctx.pendingIqs()).toHaveLength(1);
    expect(wire(ctx.pendingIqs()[0]!)).toBe(`<iq type='get' to='example.org' id='id1'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>`);
    ctx.answerIq('id1', serverInfo);
    const info = await first;
    expect(await again).toBe(info);
    expect(info).toEqual({
      identities: [{ category: 'server', type: 'im', name: 'Prosody' }, { category: 'pubsub', type: 'pep' }],
      features: ['urn:xmpp:ping', 'msgoffline'],
      forms: [
        {
          formType: 'http://jabber.org/network/serverinfo',
          fields: [
            { var: 'FORM_TYPE', type: 'hidden', values: ['http://jabber.org/network/serverinfo'] },
            { var: 'admin-addresses', values: ['mailto:a@example.org', 'xmpp:a@example.org'] },
          ],
        },
      ],
    });
    await api.info('example.org');
    expect(ctx.pendingIqs()).toHaveLength(0);
    void api.info('example.org', 'some-node');
    expect(ctx.pendingIqs()[0]!.child('query')!.attr('node')).toBe('some-node');
    host.startStream(); // ends the stream, and the some-node query with it; the new stream's cache is empty
    void host.api<DiscoApi>('xep0030-disco').info('example.org');
    expect(ctx.pendingIqs().map((q) => [q.attr('to'), q.child('query')!.attr('node')])).toEqual([['example.org', undefined]]);
  });

  it('does not cache failures', async () => {
    const { ctx, api } = setup();
    const first = api.info('bob@example.org/x');
    ctx.answerIq('id1', new IqError('item-not-found', 'cancel'));
    await expect(first).rejects.toMatchObject({ condition: 'item-not-found' });
    void api.info('bob@example.org/x');
    expect(ctx.pendingIqs()).toHaveLength(1);
  });

  it('sends disco#items and parses items, skipping invalid JIDs', async () => {
    const { ctx, api } = setup();
    const items = api.items('example.org');
    ctx.answerIq(
      'id1',
      stanza(
        `<query xmlns='http://jabber.org/protocol/disco#items'><item jid='conference.example.org' name='Rooms'/>` +
          `<item jid='example.org' node='announce'/><item jid='a@@b'/><item name='no jid'/></query>`,
      ),
    );
    await expect(items).resolves.toEqual([{ jid: 'conference.example.org', name: 'Rooms' }, { jid: 'example.org', node: 'announce' }]);
  });

  it('parses an empty answer as nothing', () => {
    expect(parseDiscoInfo(undefined)).toEqual({ identities: [], features: [], forms: [] });
    expect(parseDiscoItems(undefined)).toEqual([]);
  });

  it('keeps duplicate features as received, for XEP-0115 §5.4 to see', () => {
    const info = parseDiscoInfo(stanza(`<query xmlns='http://jabber.org/protocol/disco#info'><feature var='a'/><feature var='a'/></query>`));
    expect(info.features).toEqual(['a', 'a']);
  });
});
