import { describe, expect, it } from 'vitest';
import { NS } from '../module';
import { flush, ModuleTestBed, stanza, wire } from './test-context';
import { CHATSTATES_NS, CORRECTION_NS, defaultModules, MARKERS_NS, parseStanzaError, RECEIPTS_NS, type CapsApi, type ImApi } from '.';
import { METADATA_NOTIFY, VCARD_UPDATE_NS } from '.';
import { withFileTransferModules } from './file-transfer';

describe('defaultModules', () => {
  it('no two modules claim the same iq route (the host would route it to the last one only)', () => {
    const routes = withFileTransferModules(defaultModules({ appVersion: '0.1.0' })).flatMap((m) => (m.iq ?? []).map((r) => `${r.type} {${r.ns}}${r.child}`));
    expect(routes.length).toBeGreaterThan(5);
    expect(routes.filter((r, i) => routes.indexOf(r) !== i)).toEqual([]);
  });

  it('lists the modules in registration order', () => {
    expect(defaultModules({ appVersion: '0.1.0' }).map((m) => m.name)).toEqual([
      'xep0030-disco',
      'xep0115-caps',
      'xep0092-version',
      'xep0199-ping',
      'xep0280-carbons',
      'xep0313-mam',
      'rfc6121-roster',
      'xep0054-vcard',
      'xep0153-vcard-avatar',
      'xep0084-avatar',
      'xep0319-idle',
      'resource-info',
      'rfc6121-presence',
      'xep0184-receipts',
      'xep0085-chatstates',
      'xep0333-markers',
      'xep0308-correction',
      'rfc6121-im',
      'xep0191-blocking',
      'xep0055-search',
      'xep0077-register',
    ]);
  });

  it('gives each account its own instances (own presence and caps cache are per account)', () => {
    const a = defaultModules({ appVersion: '1' });
    const b = defaultModules({ appVersion: '1' });
    expect(a.find((m) => m.name === 'rfc6121-presence')).not.toBe(b.find((m) => m.name === 'rfc6121-presence'));
  });

  it('enables carbons without waiting, fetches the roster before sending initial presence with caps, and announces every feature', async () => {
    const host = new ModuleTestBed(defaultModules({ appVersion: '0.1.0', rosterVersioning: () => true, loadRosterCache: () => undefined }));
    const online = host.online();
    await flush();
    expect(host.ctx.sent.map(wire)).toEqual([
      `<iq type='set' id='id1'><enable xmlns='urn:xmpp:carbons:2'/></iq>`,
      `<iq type='get' id='id2'><query xmlns='jabber:iq:roster' ver=''/></iq>`,
    ]);
    host.ctx.answerIq('id2', stanza(`<query xmlns='jabber:iq:roster' ver='1'/>`));
    await online;
    // The own-vCard read (XEP-0153 §4.2) and the blocklist fetch (XEP-0191 §3.2) go out without holding presence up.
    expect(host.ctx.sent.slice(2).map((e) => e.name)).toEqual(['iq', 'presence', 'iq']);
    const presence = host.ctx.sent[3]!;
    expect(presence.child('x', VCARD_UPDATE_NS)).toBeDefined();
    expect(presence.child('c', NS.caps)!.attr('ver')).toBe(host.api<CapsApi>('xep0115-caps').ver());
    expect([...host.ctx.features()].sort()).toEqual(
      [NS.caps, NS.discoInfo, NS.discoItems, NS.version, NS.ping, RECEIPTS_NS, CHATSTATES_NS, MARKERS_NS, CORRECTION_NS, METADATA_NOTIFY, NS.idle].sort(),
    );
    const version = await host.receive(stanza(`<iq type='get' id='v' from='example.org'><query xmlns='jabber:iq:version'/></iq>`));
    expect(version!.child('query', NS.version)!.childText('version')).toBe('0.1.0');
  });
});

describe('defaultModules: the message pipeline', () => {
  const online = async () => {
    const host = new ModuleTestBed(defaultModules({ appVersion: '0.1.0' }));
    host.ctx.responder = (iq) =>
      iq.child('query', NS.roster) ? stanza(`<query xmlns='jabber:iq:roster'><item jid='bob@example.org' subscription='both'/></query>`) : null;
    await host.online();
    await flush();
    host.ctx.clear();
    return host;
  };

  it('sends chat messages with a receipt request, <active/> and <markable/>', async () => {
    const host = await online();
    const m = host.api<ImApi>('rfc6121-im').send('bob@example.org', 'hi');
    expect(wire(host.ctx.sentOf('message')[0]!)).toBe(
      `<message type='chat' to='bob@example.org' id='${m.id}'><body>hi</body><origin-id xmlns='urn:xmpp:sid:0' id='${m.id}'/>` +
        `<request xmlns='urn:xmpp:receipts'/><active xmlns='http://jabber.org/protocol/chatstates'/><markable xmlns='urn:xmpp:chat-markers:0'/></message>`,
    );
  });

  it('acks, reports the chat state of, and shows a live message — once', async () => {
    const host = await online();
    await host.receive(
      stanza(
        `<message type='chat' from='bob@example.org/phone' id='m1'><body>hello</body><request xmlns='urn:xmpp:receipts'/>` +
          `<active xmlns='http://jabber.org/protocol/chatstates'/><markable xmlns='urn:xmpp:chat-markers:0'/></message>`,
      ),
    );
    expect(host.ctx.events.map((e) => e.type)).toEqual(['chat.state', 'message.received']);
    expect(host.ctx.sentOf('message').map((e) => e.child('received', 'urn:xmpp:receipts')?.attr('id'))).toEqual(['m1']);
  });

  it('shows a correction as a correction, not as a new message', async () => {
    const host = await online();
    await host.receive(stanza(`<message type='chat' from='bob@example.org/phone' id='m2'><body>fixed</body><replace xmlns='urn:xmpp:message-correct:0' id='m1'/></message>`));
    expect(host.ctx.events.map((e) => e.type)).toEqual(['message.corrected']);
  });

  it('unwraps a carbon before im sees it, and never acks a copy', async () => {
    const host = await online();
    await host.receive(
      stanza(
        `<message from='alice@example.org' type='chat'><received xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'>` +
          `<message xmlns='jabber:client' from='bob@example.org/phone' to='alice@example.org/phone' type='chat' id='m3'><body>copy</body><request xmlns='urn:xmpp:receipts'/></message>` +
          `</forwarded></received></message>`,
      ),
    );
    expect(host.ctx.eventsOf('message.received').map((e) => [e.message.id, e.message.direction])).toEqual([['m3', 'in']]);
    expect(host.ctx.sent).toEqual([]);
  });

  it('SPOOF: a carbon from another user reaches nobody', async () => {
    const host = await online();
    await host.receive(
      stanza(
        `<message from='bob@example.org/phone' type='chat'><sent xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'>` +
          `<message xmlns='jabber:client' from='alice@example.org/flint' to='bob@example.org' type='chat' id='f'><body>forged</body></message>` +
          `</forwarded></sent></message>`,
      ),
    );
    expect(host.ctx.events.map((e) => e.type)).toEqual(['security.rejected']);
  });

  it('SPOOF: an archive result nobody asked for reaches nobody, and is never acked', async () => {
    const host = await online();
    await host.receive(
      stanza(
        `<message><result xmlns='urn:xmpp:mam:2' queryid='q' id='a1'><forwarded xmlns='urn:xmpp:forward:0'>` +
          `<message xmlns='jabber:client' from='bob@example.org/phone' to='alice@example.org' type='chat' id='m4'><body>old</body><request xmlns='urn:xmpp:receipts'/></message>` +
          `</forwarded></result></message>`,
      ),
    );
    expect(host.ctx.events.map((e) => e.type)).toEqual(['security.rejected']);
    expect(host.ctx.sent).toEqual([]);
  });
});

describe('stanza errors (RFC 6120 §8.3)', () => {
  it('reads condition, type and text', () => {
    expect(parseStanzaError(stanza(`<iq type='error'><error type='auth'><forbidden xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/><text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'> no </text></error></iq>`))).toEqual({
      condition: 'forbidden',
      type: 'auth',
      text: 'no',
    });
  });

  it('falls back to undefined-condition and cancel', () => {
    expect(parseStanzaError(stanza(`<iq type='error'><error type='odd'><custom xmlns='urn:x'/></error></iq>`))).toEqual({ condition: 'undefined-condition', type: 'cancel' });
    expect(parseStanzaError(stanza(`<iq type='error'/>`))).toBeUndefined();
  });
});
