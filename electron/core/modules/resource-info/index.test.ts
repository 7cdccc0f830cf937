import { describe, expect, it } from 'vitest';
import { IqError, NS } from '../../module';
import type { XmlElement } from '../../xml/element';
import { ModuleTestBed, stanza } from '../test-context';
import { capsModule } from '../xep0115-caps';
import { discoModule } from '../xep0030-disco';
import { resourceInfoModule, type ResourceInfoApi } from '.';

// XEP-0115 §5.2: Exodus 0.9.1.
const EXODUS_VER = 'QgayPKawpkPSDYmwT/WM94uAlu0=';
const EXODUS_INFO =
  `<query xmlns='http://jabber.org/protocol/disco#info' node='http://code.google.com/p/exodus#${EXODUS_VER}'>` +
  `<identity category='client' name='Exodus 0.9.1' type='pc'/><feature var='http://jabber.org/protocol/caps'/>` +
  `<feature var='http://jabber.org/protocol/disco#info'/><feature var='http://jabber.org/protocol/disco#items'/><feature var='http://jabber.org/protocol/muc'/></query>`;

const setup = (answer: (iq: XmlElement) => XmlElement | null | IqError | undefined) => {
  const host = new ModuleTestBed([discoModule, capsModule(), resourceInfoModule]);
  host.ctx.responder = answer;
  return { host, ctx: host.ctx, api: host.api<ResourceInfoApi>('resource-info') };
};
const withCaps = (from: string, ver = EXODUS_VER) =>
  stanza(`<presence from='${from}'><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='http://code.google.com/p/exodus' ver='${ver}'/></presence>`);

describe('resource-info', () => {
  it('describes a resource from its caps (verified, cached) and asks the version only if it announces XEP-0092', async () => {
    const { host, ctx, api } = setup((iq) => (iq.child('query')!.ns === NS.discoInfo ? stanza(EXODUS_INFO) : null));
    await host.receive(withCaps('romeo@montague.net/orchard'));
    const info = await api.describeResource('romeo@montague.net/orchard');
    expect(info).toEqual({
      jid: 'romeo@montague.net/orchard',
      capsNode: 'http://code.google.com/p/exodus',
      features: [NS.caps, NS.discoInfo, NS.discoItems, 'http://jabber.org/protocol/muc'],
    });
    expect(ctx.sent.map((e) => e.child('query')!.ns)).toEqual([NS.discoInfo]);
    // Same client elsewhere: the verified ver answers without a query; a second look asks nothing.
    await host.receive(withCaps('juliet@capulet.lit/balcony'));
    await api.describeResource('juliet@capulet.lit/balcony');
    await api.describeResource('romeo@montague.net/orchard');
    expect(ctx.sent).toHaveLength(1);
  });

  it('without caps asks disco#info, then the version, with a short timeout', async () => {
    const { ctx, api } = setup((iq) =>
      iq.child('query')!.ns === NS.discoInfo
        ? stanza(`<query xmlns='http://jabber.org/protocol/disco#info'><feature var='jabber:iq:version'/><feature var='urn:xmpp:ping'/></query>`)
        : stanza(`<query xmlns='jabber:iq:version'><name>Gajim</name><version>1.8.4</version></query>`),
    );
    await expect(api.describeResource('bob@example.org/laptop')).resolves.toEqual({
      jid: 'bob@example.org/laptop',
      client: { name: 'Gajim', version: '1.8.4' },
      features: ['jabber:iq:version', 'urn:xmpp:ping'],
    });
    expect(ctx.sent.map((e) => [e.attr('to'), e.child('query')!.ns])).toEqual([
      ['bob@example.org/laptop', NS.discoInfo],
      ['bob@example.org/laptop', NS.version],
    ]);
  });

  it('a resource that answers nothing is described with what is known; a bare JID is refused', async () => {
    const { ctx, api } = setup(() => new IqError('service-unavailable', 'cancel'));
    await expect(api.describeResource('bob@example.org/x')).resolves.toEqual({ jid: 'bob@example.org/x', features: [] });
    expect(ctx.sent).toHaveLength(2);
    await expect(api.describeResource('bob@example.org')).rejects.toThrow(/full JID/);
  });

  it('forgets a description when the resource goes away or changes caps', async () => {
    const { host, ctx, api } = setup((iq) => (iq.child('query')!.ns === NS.discoInfo ? stanza(EXODUS_INFO) : null));
    await host.receive(withCaps('romeo@montague.net/orchard'));
    await api.describeResource('romeo@montague.net/orchard');
    await host.receive(stanza(`<presence from='romeo@montague.net/orchard' type='unavailable'/>`));
    ctx.responder = () => new IqError('item-not-found', 'cancel');
    await expect(api.describeResource('romeo@montague.net/orchard')).resolves.toEqual({ jid: 'romeo@montague.net/orchard', features: [] });
  });
});
