import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { IqError } from '../../module';
import type { XmlElement } from '../../xml/element';
import { flush, ModuleTestBed, stanza, wire } from '../test-context';
import { presenceModule } from '../rfc6121-presence';
import { vcardModule } from '../xep0054-vcard';
import { AvatarHashMismatchError, parsePhotoUpdate, vcardAvatarModule, VCARD_AVATAR_MODULE, type VCardAvatarApi } from '.';

const PNG_B64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const PNG = new Uint8Array(Buffer.from(PNG_B64, 'base64'));
const PNG_SHA1 = createHash('sha1').update(PNG).digest('hex');
const OTHER_SHA1 = createHash('sha1').update('other').digest('hex');
const vcardWithPhoto = (b64 = PNG_B64) => stanza(`<vCard xmlns='vcard-temp'><FN>Alice</FN><PHOTO><TYPE>image/png</TYPE><BINVAL>${b64}</BINVAL></PHOTO></vCard>`);

const setup = (answer: (iq: XmlElement) => XmlElement | null | IqError | undefined = () => null) => {
  const host = new ModuleTestBed([vcardModule, vcardAvatarModule(), presenceModule({ contributors: [VCARD_AVATAR_MODULE] })]);
  host.ctx.responder = answer;
  return { host, ctx: host.ctx, api: host.api<VCardAvatarApi>(VCARD_AVATAR_MODULE) };
};
const presenceWith = (from: string, photo: string) => stanza(`<presence from='${from}'><x xmlns='vcard-temp:x:update'>${photo}</x></presence>`);

describe('XEP-0153 presence updates', () => {
  it('reads the photo element: hash, empty = no avatar, absent = says nothing, junk = says nothing', () => {
    expect(parsePhotoUpdate(presenceWith('a@b/c', `<photo>${PNG_SHA1.toUpperCase()}</photo>`))).toBe(PNG_SHA1);
    expect(parsePhotoUpdate(presenceWith('a@b/c', '<photo/>'))).toBeNull();
    expect(parsePhotoUpdate(presenceWith('a@b/c', ''))).toBeUndefined();
    expect(parsePhotoUpdate(presenceWith('a@b/c', '<photo>not-a-hash</photo>'))).toBeUndefined();
    expect(parsePhotoUpdate(stanza(`<presence from='a@b/c'/>`))).toBeUndefined();
  });

  it('reports a contact’s avatar on change only, and leaves the stanza to rfc6121-presence', async () => {
    const { host, ctx } = setup();
    await host.online();
    ctx.clear();
    await host.receive(presenceWith('bob@example.org/phone', '<photo/>')); // first "none": no news
    await host.receive(presenceWith('bob@example.org/phone', `<photo>${PNG_SHA1}</photo>`));
    await host.receive(presenceWith('Bob@example.org/laptop', `<photo>${PNG_SHA1}</photo>`));
    await host.receive(presenceWith('bob@example.org/phone', ''));
    await host.receive(stanza(`<presence from='bob@example.org/phone' type='unavailable'><x xmlns='vcard-temp:x:update'><photo/></x></presence>`));
    await host.receive(presenceWith('bob@example.org/phone', `<photo>${OTHER_SHA1}</photo>`));
    await host.receive(presenceWith('bob@example.org/phone', '<photo/>'));
    expect(ctx.eventsOf('avatar.changed')).toEqual([
      { type: 'avatar.changed', jid: 'bob@example.org', hash: PNG_SHA1, source: 'vcard' },
      { type: 'avatar.changed', jid: 'bob@example.org', hash: OTHER_SHA1, source: 'vcard' },
      { type: 'avatar.changed', jid: 'bob@example.org', hash: null, source: 'vcard' },
    ]);
    expect(ctx.eventsOf('presence.changed')).toHaveLength(7);
  });
});

describe('XEP-0153 our own hash', () => {
  it('sends "not ready" until it has read our vCard, then the hash of its photo (§4.2)', async () => {
    const { host, ctx, api } = setup(() => undefined);
    await host.online();
    expect(ctx.sent.map(wire)).toEqual([`<iq type='get' id='id1'><vCard xmlns='vcard-temp'/></iq>`, `<presence><x xmlns='vcard-temp:x:update'/></presence>`]);
    expect(api.ownHash()).toBeUndefined();
    ctx.answerIq('id1', vcardWithPhoto());
    await flush();
    expect(api.ownHash()).toBe(PNG_SHA1);
    expect(wire(ctx.sent[2]!)).toBe(`<presence><x xmlns='vcard-temp:x:update'><photo>${PNG_SHA1}</photo></x></presence>`);
    expect(ctx.eventsOf('avatar.changed')).toEqual([{ type: 'avatar.changed', jid: 'alice@example.org', hash: PNG_SHA1, source: 'vcard' }]);
  });

  it('advertises an empty photo when our vCard has none, and keeps the hash for the next stream', async () => {
    const { host, ctx, api } = setup(() => null);
    await host.online();
    await flush();
    expect(api.ownHash()).toBeNull();
    expect(wire(ctx.sent.at(-1)!)).toBe(`<presence><x xmlns='vcard-temp:x:update'><photo/></x></presence>`);
    host.offline();
    host.startStream();
    ctx.clear();
    ctx.responder = () => undefined;
    await host.online();
    expect(wire(ctx.sent.find((e) => e.name === 'presence')!)).toBe(`<presence><x xmlns='vcard-temp:x:update'><photo/></x></presence>`);
  });

  it('reads our vCard again when another resource of ours shows another hash (§4.3), not for our own echo', async () => {
    const { host, ctx, api } = setup(() => null);
    await host.online();
    await flush();
    ctx.clear();
    ctx.responder = () => vcardWithPhoto();
    await host.receive(presenceWith('alice@example.org/flint', `<photo>${OTHER_SHA1}</photo>`));
    expect(ctx.sentOf('iq')).toHaveLength(0);
    await host.receive(presenceWith('alice@example.org/phone', `<photo>${PNG_SHA1}</photo>`));
    await flush();
    expect(ctx.sentOf('iq').map(wire)).toEqual([`<iq type='get' id='id2'><vCard xmlns='vcard-temp'/></iq>`]);
    expect(api.ownHash()).toBe(PNG_SHA1);
    expect(ctx.sentOf('presence')).toHaveLength(1);
    // A stale client of ours keeps showing an old hash: checked once, not on every presence.
    await host.receive(presenceWith('alice@example.org/old', `<photo>${OTHER_SHA1}</photo>`));
    await host.receive(presenceWith('alice@example.org/old', `<photo>${OTHER_SHA1}</photo>`));
    await flush();
    expect(ctx.sentOf('iq')).toHaveLength(2);
  });

  it('leaves MUC occupants’ hashes alone (they are not the room’s avatar)', async () => {
    const { host, ctx } = setup();
    await host.online();
    await host.receive(
      stanza(`<presence from='room@conference.example.org/nick'><x xmlns='http://jabber.org/protocol/muc#user'/><x xmlns='vcard-temp:x:update'><photo>${PNG_SHA1}</photo></x></presence>`),
    );
    expect(ctx.eventsOf('avatar.changed')).toEqual([]);
  });

  it('publish() writes the PHOTO into our vCard (keeping the rest) and re-sends presence with its hash', async () => {
    let stored = `<vCard xmlns='vcard-temp'><FN>Alice</FN><BDAY>2000-01-01</BDAY></vCard>`;
    const { host, ctx, api } = setup((iq) => {
      if (iq.attr('type') === 'get') return stanza(stored);
      stored = wire(iq.elements()[0]!);
      return null;
    });
    await host.online();
    await flush();
    ctx.clear();
    await expect(api.publish(PNG, 'image/png')).resolves.toBe(PNG_SHA1);
    expect(stored).toBe(`<vCard xmlns='vcard-temp'><FN>Alice</FN><PHOTO><TYPE>image/png</TYPE><BINVAL>${PNG_B64}</BINVAL></PHOTO><BDAY>2000-01-01</BDAY></vCard>`);
    expect(wire(ctx.sentOf('presence')[0]!)).toBe(`<presence><x xmlns='vcard-temp:x:update'><photo>${PNG_SHA1}</photo></x></presence>`);
    await api.remove();
    expect(stored).not.toContain('PHOTO');
    expect(wire(ctx.sentOf('presence')[1]!)).toBe(`<presence><x xmlns='vcard-temp:x:update'><photo/></x></presence>`);
  });
});

describe('XEP-0153 fetch', () => {
  it('fetches the contact’s vCard photo and checks it against the hash; one query for concurrent callers', async () => {
    const { host, ctx, api } = setup(() => undefined);
    await host.online();
    ctx.clear();
    const a = api.fetch('bob@example.org/phone', PNG_SHA1.toUpperCase());
    const b = api.fetch('bob@example.org', PNG_SHA1);
    expect(ctx.pendingIqs().filter((iq) => iq.attr('to')).map(wire)).toEqual([`<iq type='get' to='bob@example.org' id='id2'><vCard xmlns='vcard-temp'/></iq>`]);
    ctx.answerIq('id2', vcardWithPhoto(PNG_B64.replace(/(.{10})/g, '$1\n')));
    await expect(a).resolves.toEqual({ type: 'image/png', data: PNG_B64 });
    await expect(b).resolves.toEqual({ type: 'image/png', data: PNG_B64 });
  });

  it('rejects an image whose SHA-1 is not the hash, a vCard without photo, and a malformed hash', async () => {
    const { host, api } = setup(() => vcardWithPhoto());
    await host.online();
    await expect(api.fetch('bob@example.org', OTHER_SHA1)).rejects.toBeInstanceOf(AvatarHashMismatchError);
    host.ctx.responder = () => null;
    await expect(api.fetch('bob@example.org', PNG_SHA1)).rejects.toMatchObject({ actual: null });
    await expect(api.fetch('bob@example.org', 'abc')).rejects.toThrow(/not an avatar hash/);
  });
});
