import { describe, expect, it } from 'vitest';
import { NS } from '../module';
import { flush, ModuleHost, stanza, wire } from './test-context';
import { defaultModules, parseStanzaError, type CapsApi } from '.';

describe('defaultModules', () => {
  it('lists the modules in registration order', () => {
    expect(defaultModules({ appVersion: '0.1.0' }).map((m) => m.name)).toEqual([
      'xep0030-disco',
      'xep0115-caps',
      'xep0092-version',
      'xep0199-ping',
      'rfc6121-roster',
      'rfc6121-presence',
      'rfc6121-im',
    ]);
  });

  it('gives each account its own instances (own presence and caps cache are per account)', () => {
    const a = defaultModules({ appVersion: '1' });
    const b = defaultModules({ appVersion: '1' });
    expect(a.find((m) => m.name === 'rfc6121-presence')).not.toBe(b.find((m) => m.name === 'rfc6121-presence'));
  });

  it('fetches the roster before sending initial presence with caps, and announces every feature', async () => {
    const host = new ModuleHost(defaultModules({ appVersion: '0.1.0', rosterVersioning: () => true, loadRosterCache: () => undefined }));
    const online = host.online();
    await flush();
    expect(host.ctx.sent.map(wire)).toEqual([`<iq type='get' id='id1'><query xmlns='jabber:iq:roster' ver=''/></iq>`]);
    host.ctx.answerIq('id1', stanza(`<query xmlns='jabber:iq:roster' ver='1'/>`));
    await online;
    const presence = host.ctx.sent[1]!;
    expect(presence.name).toBe('presence');
    expect(presence.child('c', NS.caps)!.attr('ver')).toBe(host.api<CapsApi>('xep0115-caps').ver());
    expect([...host.ctx.features()].sort()).toEqual([NS.caps, NS.discoInfo, NS.discoItems, NS.version, NS.ping]);
    const version = await host.receive(stanza(`<iq type='get' id='v' from='example.org'><query xmlns='jabber:iq:version'/></iq>`));
    expect(version!.child('query', NS.version)!.childText('version')).toBe('0.1.0');
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
