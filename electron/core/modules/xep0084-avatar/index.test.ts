import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { IqError } from '../../module';
import type { XmlElement } from '../../xml/element';
import { flush, ModuleTestBed, stanza, wire } from '../test-context';
import { discoModule } from '../xep0030-disco';
import { presenceModule } from '../rfc6121-presence';
import { vcardModule } from '../xep0054-vcard';
import { AvatarHashMismatchError, vcardAvatarModule, VCARD_AVATAR_MODULE } from '../xep0153-vcard-avatar';
import { imageSize, METADATA_NOTIFY, pepAvatarModule, type PepAvatarApi } from '.';

const PNG_B64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const PNG = new Uint8Array(Buffer.from(PNG_B64, 'base64'));
const HASH = createHash('sha1').update(PNG).digest('hex');
const OTHER = createHash('sha1').update('other').digest('hex');

const setup = (answer: (iq: XmlElement) => XmlElement | null | IqError | undefined = () => null) => {
  const host = new ModuleTestBed([discoModule, vcardModule, vcardAvatarModule(), pepAvatarModule, presenceModule({ contributors: [VCARD_AVATAR_MODULE] })]);
  host.ctx.responder = answer;
  return { host, ctx: host.ctx, api: host.api<PepAvatarApi>('xep0084-avatar') };
};

// XEP-0084 Example 3 (metadata notification), with our own hash.
const notification = (from: string, metadata: string, id = HASH) =>
  stanza(
    `<message from='${from}' to='alice@example.org/flint' type='headline'><event xmlns='http://jabber.org/protocol/pubsub#event'>` +
      `<items node='urn:xmpp:avatar:metadata'><item id='${id}'><metadata xmlns='urn:xmpp:avatar:metadata'>${metadata}</metadata></item></items></event></message>`,
  );
const info = (id = HASH, type = 'image/png') => `<info bytes='${PNG.length}' height='1' id='${id}' type='${type}' width='1'/>`;

describe('XEP-0084 metadata notifications', () => {
  it('announces +notify (XEP-0163 §4)', () => {
    expect(setup().ctx.features()).toContain(METADATA_NOTIFY);
  });

  it('reports avatar changes from bare JIDs, with the type of the info whose id is the item id', async () => {
    const { host, ctx } = setup();
    await host.online();
    ctx.clear();
    await host.receive(notification('juliet@capulet.lit', info(OTHER, 'image/gif') + info()));
    await host.receive(notification('juliet@capulet.lit', info()));
    await host.receive(notification('juliet@capulet.lit/balcony', info(OTHER)));
    await host.receive(notification('juliet@capulet.lit', '')); // §4.3 disabled
    await host.receive(notification('romeo@montague.lit', '')); // unknown before: no news
    expect(ctx.eventsOf('avatar.changed')).toEqual([
      { type: 'avatar.changed', jid: 'juliet@capulet.lit', hash: HASH, source: 'pep', mediaType: 'image/png' },
      { type: 'avatar.changed', jid: 'juliet@capulet.lit', hash: null, source: 'pep' },
    ]);
  });

  it('reads retract and purge as "no avatar", and leaves other pubsub events alone', async () => {
    const { host, ctx } = setup();
    await host.online();
    ctx.clear();
    const ev = (inner: string) => stanza(`<message from='juliet@capulet.lit'><event xmlns='http://jabber.org/protocol/pubsub#event'>${inner}</event></message>`);
    await host.receive(notification('juliet@capulet.lit', info()));
    await host.receive(ev(`<items node='urn:xmpp:avatar:metadata'><retract id='${HASH}'/></items>`));
    await host.receive(notification('juliet@capulet.lit', info()));
    await host.receive(ev(`<purge node='urn:xmpp:avatar:metadata'/>`));
    await host.receive(ev(`<items node='urn:xmpp:tune'><item id='x'/></items>`));
    expect(ctx.eventsOf('avatar.changed').map((e) => e.hash)).toEqual([HASH, null, HASH, null]);
  });

  it('our own notification makes XEP-0153 read our vCard again, so the presence hash follows', async () => {
    const { host, ctx } = setup(() => null);
    await host.online();
    await flush();
    ctx.clear();
    ctx.responder = () => stanza(`<vCard xmlns='vcard-temp'><PHOTO><BINVAL>${PNG_B64}</BINVAL></PHOTO></vCard>`);
    await host.receive(notification('alice@example.org', info()));
    await flush();
    expect(ctx.sentOf('iq').map(wire)).toEqual([`<iq type='get' id='id2'><vCard xmlns='vcard-temp'/></iq>`]);
    expect(wire(ctx.sentOf('presence')[0]!)).toContain(`<photo>${HASH}</photo>`);
  });
});

describe('XEP-0084 fetch', () => {
  it('asks the data node for the item and checks the SHA-1', async () => {
    const { host, ctx, api } = setup(() => undefined);
    await host.online();
    await host.receive(notification('juliet@capulet.lit', info()));
    ctx.clear();
    const p = api.fetch('juliet@capulet.lit/balcony', HASH);
    expect(wire(ctx.sent[0]!)).toBe(
      `<iq type='get' to='juliet@capulet.lit' id='id2'><pubsub xmlns='http://jabber.org/protocol/pubsub'><items node='urn:xmpp:avatar:data'><item id='${HASH}'/></items></pubsub></iq>`,
    );
    ctx.answerIq(
      'id2',
      stanza(`<pubsub xmlns='http://jabber.org/protocol/pubsub'><items node='urn:xmpp:avatar:data'><item id='${HASH}'><data xmlns='urn:xmpp:avatar:data'>${PNG_B64}</data></item></items></pubsub>`),
    );
    await expect(p).resolves.toEqual({ type: 'image/png', data: PNG_B64 });
  });

  it('rejects data that does not hash to the id, and an empty answer', async () => {
    const data = (b64: string) =>
      stanza(`<pubsub xmlns='http://jabber.org/protocol/pubsub'><items node='urn:xmpp:avatar:data'><item id='${OTHER}'><data xmlns='urn:xmpp:avatar:data'>${b64}</data></item></items></pubsub>`);
    const { host, api } = setup(() => data(PNG_B64));
    await host.online();
    await expect(api.fetch('juliet@capulet.lit', OTHER)).rejects.toBeInstanceOf(AvatarHashMismatchError);
    host.ctx.responder = () => null;
    await expect(api.fetch('juliet@capulet.lit', OTHER)).rejects.toMatchObject({ actual: null });
  });
});

describe('XEP-0084 publishing our avatar', () => {
  const pubsubNode = (iq: XmlElement) => iq.child('pubsub')?.child('publish')?.attr('node');

  it('publishes data then metadata, and where the server converts (XEP-0398) only re-reads the vCard', async () => {
    const { host, ctx, api } = setup((iq) => {
      if (iq.child('query')?.ns === 'http://jabber.org/protocol/disco#info') {
        return stanza(`<query xmlns='http://jabber.org/protocol/disco#info'><identity category='account' type='registered'/><feature var='urn:xmpp:pep-vcard-conversion:0'/></query>`);
      }
      if (iq.child('vCard')) return stanza(`<vCard xmlns='vcard-temp'><PHOTO><TYPE>image/png</TYPE><BINVAL>${PNG_B64}</BINVAL></PHOTO></vCard>`);
      return null;
    });
    await host.online();
    await flush();
    ctx.clear();
    await expect(api.publishOwn(PNG)).resolves.toBe(HASH);
    const iqs = ctx.sentOf('iq');
    expect(wire(iqs[0]!)).toBe(
      `<iq type='set' id='id2'><pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='urn:xmpp:avatar:data'><item id='${HASH}'><data xmlns='urn:xmpp:avatar:data'>${PNG_B64}</data></item></publish></pubsub></iq>`,
    );
    expect(wire(iqs[1]!)).toBe(
      `<iq type='set' id='id3'><pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='urn:xmpp:avatar:metadata'><item id='${HASH}'><metadata xmlns='urn:xmpp:avatar:metadata'><info bytes='${PNG.length}' id='${HASH}' type='image/png' width='1' height='1'/></metadata></item></publish></pubsub></iq>`,
    );
    expect(iqs.slice(2).map((iq) => [iq.attr('type'), iq.attr('to'), iq.elements()[0]!.name])).toEqual([
      ['get', 'alice@example.org', 'query'],
      ['get', undefined, 'vCard'],
    ]);
  });

  it('without conversion writes the vCard PHOTO too and re-sends presence with the hash', async () => {
    let stored = `<vCard xmlns='vcard-temp'><FN>Alice</FN></vCard>`;
    const { host, ctx, api } = setup((iq) => {
      if (iq.child('query')?.ns === 'http://jabber.org/protocol/disco#info') return stanza(`<query xmlns='http://jabber.org/protocol/disco#info'/>`);
      if (iq.child('vCard')) {
        if (iq.attr('type') === 'get') return stanza(stored);
        stored = wire(iq.elements()[0]!);
      }
      return null;
    });
    await host.online();
    await flush();
    ctx.clear();
    await api.publishOwn(PNG, { type: 'image/png', width: 1, height: 1 });
    expect(ctx.sentOf('iq').map((iq) => pubsubNode(iq) ?? `${iq.attr('type')} ${iq.elements()[0]!.name}`)).toEqual([
      'urn:xmpp:avatar:data',
      'urn:xmpp:avatar:metadata',
      'get query',
      'get vCard',
      'set vCard',
    ]);
    expect(stored).toContain(`<PHOTO><TYPE>image/png</TYPE><BINVAL>${PNG_B64}</BINVAL></PHOTO>`);
    expect(wire(ctx.sentOf('presence').at(-1)!)).toBe(`<presence><x xmlns='vcard-temp:x:update'><photo>${HASH}</photo></x></presence>`);
  });

  it('falls back to the vCard alone on a server without PEP; other publish errors reach the caller', async () => {
    const { host, ctx, api } = setup((iq) => (pubsubNode(iq) ? new IqError('service-unavailable', 'cancel') : null));
    await host.online();
    await flush();
    ctx.clear();
    await expect(api.publishOwn(PNG)).resolves.toBe(HASH);
    expect(ctx.sentOf('iq').map((iq) => `${iq.attr('type')} ${iq.elements()[0]!.name}`)).toEqual(['set pubsub', 'get vCard', 'set vCard']);
    ctx.responder = (iq) => (pubsubNode(iq) ? new IqError('not-acceptable', 'modify', 'too big') : null);
    await expect(api.publishOwn(PNG)).rejects.toMatchObject({ condition: 'not-acceptable' });
  });

  it('disableOwn() publishes empty metadata (§4.3) and removes the vCard photo', async () => {
    let stored = `<vCard xmlns='vcard-temp'><PHOTO><BINVAL>${PNG_B64}</BINVAL></PHOTO></vCard>`;
    const { host, ctx, api } = setup((iq) => {
      if (iq.child('query')) return stanza(`<query xmlns='http://jabber.org/protocol/disco#info'/>`);
      if (iq.child('vCard')) {
        if (iq.attr('type') === 'get') return stanza(stored);
        stored = wire(iq.elements()[0]!);
      }
      return null;
    });
    await host.online();
    await flush();
    ctx.clear();
    await api.disableOwn();
    expect(wire(ctx.sentOf('iq')[0]!)).toBe(
      `<iq type='set' id='id2'><pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='urn:xmpp:avatar:metadata'><item id='current'><metadata xmlns='urn:xmpp:avatar:metadata'/></item></publish></pubsub></iq>`,
    );
    expect(stored).not.toContain('PHOTO');
    expect(wire(ctx.sentOf('presence').at(-1)!)).toBe(`<presence><x xmlns='vcard-temp:x:update'><photo/></x></presence>`);
  });
});

describe('image headers', () => {
  it('reads PNG, GIF and JPEG sizes', () => {
    expect(imageSize(PNG)).toEqual({ type: 'image/png', width: 1, height: 1 });
    expect(imageSize(new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0xc0, 0x00, 0x60, 0x00]))).toEqual({ type: 'image/gif', width: 192, height: 96 });
    // SOI, an APP0 segment of 4 bytes, then SOF0: length 17, precision 8, height 0x0060, width 0x00c0.
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x4a, 0x46, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0x60, 0x00, 0xc0, 0x03]);
    expect(imageSize(jpeg)).toEqual({ type: 'image/jpeg', width: 192, height: 96 });
    expect(imageSize(new Uint8Array([1, 2, 3]))).toBeUndefined();
  });
});
