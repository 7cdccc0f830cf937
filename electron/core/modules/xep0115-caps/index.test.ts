import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { NS } from '../../module';
import { ModuleTestBed, stanza, wire } from '../test-context';
import { discoModule } from '../xep0030-disco';
import { parseDiscoInfo } from '../xep0030-disco/parse';
import { pingModule } from '../xep0199-ping';
import { capsModule, toCapsInfo, type CapsApi } from '.';
import { capsHash } from './ver';

const setup = (caps = capsModule()) => {
  const host = new ModuleTestBed([discoModule, caps, pingModule]);
  return { host, ctx: host.ctx, api: host.api<CapsApi>('xep0115-caps') };
};

// XEP-0115 §5.2 (simple example): Exodus 0.9.1.
const EXODUS_VER = 'QgayPKawpkPSDYmwT/WM94uAlu0=';
const exodusInfo = (extraFeature = '') =>
  stanza(
    `<query xmlns='http://jabber.org/protocol/disco#info' node='http://code.google.com/p/exodus#${EXODUS_VER}'>` +
      `<identity category='client' name='Exodus 0.9.1' type='pc'/>` +
      `<feature var='http://jabber.org/protocol/caps'/><feature var='http://jabber.org/protocol/disco#info'/>` +
      `<feature var='http://jabber.org/protocol/disco#items'/><feature var='http://jabber.org/protocol/muc'/>${extraFeature}</query>`,
  );

// XEP-0115 §5.3 (complex example): Psi 0.11 with an extended-info form.
const PSI_VER = 'q07IKJEyjvHSyhy//CH0CxmKi8w=';
const psiInfo = (formTypeFieldType = 'hidden') =>
  stanza(
    `<query xmlns='http://jabber.org/protocol/disco#info' node='http://psi-im.org#${PSI_VER}'>` +
      `<identity xml:lang='en' category='client' name='Psi 0.11' type='pc'/><identity xml:lang='el' category='client' name='Ψ 0.11' type='pc'/>` +
      `<feature var='http://jabber.org/protocol/caps'/><feature var='http://jabber.org/protocol/disco#info'/>` +
      `<feature var='http://jabber.org/protocol/disco#items'/><feature var='http://jabber.org/protocol/muc'/>` +
      `<x xmlns='jabber:x:data' type='result'><field var='FORM_TYPE' type='${formTypeFieldType}'><value>urn:xmpp:dataforms:softwareinfo</value></field>` +
      `<field var='ip_version'><value>ipv4</value><value>ipv6</value></field><field var='os'><value>Mac</value></field>` +
      `<field var='os_version'><value>10.5.1</value></field><field var='software'><value>Psi</value></field>` +
      `<field var='software_version'><value>0.11</value></field></x></query>`,
  );

describe('XEP-0115 caps: our own', () => {
  it('announces the caps feature', () => {
    expect(setup().ctx.features()).toContain(NS.caps);
  });

  it('ver is the SHA-1 of our disco identity and features (§5.1), computed independently', () => {
    const { ctx, api } = setup();
    const s = 'client/pc//Flint<' + [...ctx.features()].sort().map((f) => `${f}<`).join('');
    expect(api.ver()).toBe(createHash('sha1').update(s, 'utf8').digest('base64'));
    expect(api.ver()).toBe(capsHash({ identities: [{ category: 'client', type: 'pc', name: 'Flint' }], features: ctx.features() }, ctx.crypto));
  });

  it('ver matches what disco answers at node#ver (a peer verifying us gets the same hash)', async () => {
    const { host, api } = setup();
    const res = await host.receive(stanza(`<iq type='get' id='c1' from='bob@example.org/x'><query xmlns='http://jabber.org/protocol/disco#info' node='https://flint.im#${api.ver()}'/></iq>`));
    const info = parseDiscoInfo(res!.child('query', NS.discoInfo));
    expect(capsHash(toCapsInfo(info), host.ctx.crypto)).toBe(api.ver());
  });

  it('element() is the <c/> for presence', () => {
    const { api } = setup();
    expect(wire(api.element())).toBe(`<c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='https://flint.im' ver='${api.ver()}'/>`);
    expect(api.node).toBe('https://flint.im');
  });
});

describe('XEP-0115 caps: others', () => {
  it('looks up node#ver, verifies the hash, and caches by ver across JIDs and streams', async () => {
    const caps = capsModule();
    const { host, ctx, api } = setup(caps);
    const features = api.featuresOf(EXODUS_VER, 'bob@example.org/exodus', 'http://code.google.com/p/exodus');
    const [iq] = ctx.pendingIqs();
    expect(iq!.attr('to')).toBe('bob@example.org/exodus');
    expect(iq!.child('query', NS.discoInfo)!.attr('node')).toBe(`http://code.google.com/p/exodus#${EXODUS_VER}`);
    ctx.answerIq(iq!.attr('id')!, exodusInfo());
    await expect(features).resolves.toEqual([NS.caps, NS.discoInfo, NS.discoItems, 'http://jabber.org/protocol/muc']);
    await expect(api.featuresOf(EXODUS_VER, 'carol@example.net/e')).resolves.toContain('http://jabber.org/protocol/muc');
    host.startStream();
    await host.api<CapsApi>('xep0115-caps').featuresOf(EXODUS_VER, 'dave@example.net/e');
    expect(ctx.pendingIqs()).toHaveLength(0);
  });

  it('verifies extended-info forms (§5.3 example)', async () => {
    const { ctx, api } = setup();
    const features = api.featuresOf(PSI_VER, 'bob@example.org/psi', 'http://psi-im.org');
    ctx.answerIq('id1', psiInfo());
    await features;
    await api.featuresOf(PSI_VER, 'eve@example.org/psi');
    expect(ctx.pendingIqs()).toHaveLength(0);
    expect(ctx.logs.filter((l) => l.level === 'warn')).toEqual([]);
  });

  it('ignores a form whose FORM_TYPE is not hidden (§5.4 step 3.6): the ver then does not match', async () => {
    const { ctx, api } = setup();
    const features = api.featuresOf(PSI_VER, 'bob@example.org/psi', 'http://psi-im.org');
    ctx.answerIq('id1', psiInfo('text-single'));
    await features;
    void api.featuresOf(PSI_VER, 'eve@example.org/psi');
    expect(ctx.pendingIqs()).toHaveLength(1);
  });

  it('returns but never caches an answer that does not hash to ver (§5.4)', async () => {
    const { ctx, api } = setup();
    const liar = api.featuresOf(EXODUS_VER, 'mallory@example.org/x', 'http://code.google.com/p/exodus');
    ctx.answerIq('id1', exodusInfo(`<feature var='urn:evil'/>`));
    await expect(liar).resolves.toContain('urn:evil');
    expect(ctx.logs.some((l) => l.level === 'warn' && l.msg.includes('does not match'))).toBe(true);
    const honest = api.featuresOf(EXODUS_VER, 'bob@example.org/exodus');
    expect(ctx.pendingIqs()).toHaveLength(1);
    ctx.answerIq('id2', exodusInfo());
    await expect(honest).resolves.not.toContain('urn:evil');
  });

  it('does not cache an answer with a duplicate feature (§5.4 step 3.4)', async () => {
    const { ctx, api } = setup();
    const dup = api.featuresOf(EXODUS_VER, 'bob@example.org/x');
    ctx.answerIq('id1', exodusInfo(`<feature var='http://jabber.org/protocol/muc'/>`));
    await dup;
    void api.featuresOf(EXODUS_VER, 'carol@example.org/x');
    expect(ctx.pendingIqs()).toHaveLength(1);
  });

  it('shares one lookup between concurrent callers for the same entity and ver', async () => {
    const { ctx, api } = setup();
    const a = api.featuresOf(EXODUS_VER, 'bob@example.org/x');
    const b = api.featuresOf(EXODUS_VER, 'bob@example.org/x');
    expect(ctx.pendingIqs()).toHaveLength(1);
    ctx.answerIq('id1', exodusInfo());
    expect(await a).toEqual(await b);
  });
});
