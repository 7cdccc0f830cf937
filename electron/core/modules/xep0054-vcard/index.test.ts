import { describe, expect, it } from 'vitest';
import { IqError } from '../../module';
import { flush, ModuleTestBed, stanza, wire } from '../test-context';
import { decodeLenientBase64, parseVCard, sniffImageType, vcardModule, type VCardApi } from '.';
import { buildVCard } from './build';

const setup = () => {
  const host = new ModuleTestBed([vcardModule]);
  return { host, ctx: host.ctx, api: host.api<VCardApi>('xep0054-vcard') };
};
const compact = (xml: string) => xml.replace(/>\s+</g, '><');

// XEP-0054 Example 2 (abridged only by the empty TEL/ADR repeats).
const STPETER = compact(`<vCard xmlns='vcard-temp'>
  <FN>Peter Saint-Andre</FN>
  <N><FAMILY>Saint-Andre</FAMILY><GIVEN>Peter</GIVEN><MIDDLE/></N>
  <NICKNAME>stpeter</NICKNAME>
  <URL>http://www.xmpp.org/xsf/people/stpeter.shtml</URL>
  <BDAY>1966-08-06</BDAY>
  <ORG><ORGNAME>XMPP Standards Foundation</ORGNAME><ORGUNIT/></ORG>
  <TITLE>Executive Director</TITLE>
  <ROLE>Patron Saint</ROLE>
  <TEL><WORK/><VOICE/><NUMBER>303-308-3282</NUMBER></TEL>
  <TEL><WORK/><FAX/><NUMBER/></TEL>
  <ADR><WORK/><EXTADD>Suite 600</EXTADD><STREET>1899 Wynkoop Street</STREET><LOCALITY>Denver</LOCALITY><REGION>CO</REGION><PCODE>80202</PCODE><CTRY>USA</CTRY></ADR>
  <TEL><HOME/><VOICE/><NUMBER>303-555-1212</NUMBER></TEL>
  <EMAIL><INTERNET/><PREF/><USERID>stpeter@jabber.org</USERID></EMAIL>
  <JABBERID>stpeter@jabber.org</JABBERID>
  <DESC>More information about me is located on my personal website: http://www.saint-andre.com/</DESC>
</vCard>`);

// A 1×1 PNG.
const PNG_B64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

describe('XEP-0054 parse', () => {
  it('reads the spec example (Example 2)', () => {
    expect(parseVCard(stanza(STPETER))).toEqual({
      fn: 'Peter Saint-Andre',
      nickname: 'stpeter',
      email: ['stpeter@jabber.org'],
      tel: ['303-308-3282', '303-555-1212'],
      org: { name: 'XMPP Standards Foundation' },
      title: 'Executive Director',
    });
  });

  it('reads what real clients write: lower-case names, values as direct text, no FN, folded BINVAL without TYPE', () => {
    const folded = PNG_B64.replace(/=+$/, '').replace(/(.{20})/g, '$1\n ');
    const card = parseVCard(
      stanza(
        `<vCard xmlns='vcard-temp'><n><given>Juliet</given><family>Capulet</family></n><email>juliet@capulet.lit</email><EMAIL><HOME/>juliet@capulet.lit</EMAIL>` +
          `<tel><number> +1 555 </number></tel><Org><OrgUnit>Balcony</OrgUnit></Org><PHOTO><BINVAL>\n ${folded}\n</BINVAL></PHOTO><x xmlns='urn:other'><FN>not this</FN></x></vCard>`,
      ),
    );
    expect(card).toEqual({ fn: 'Juliet Capulet', email: ['juliet@capulet.lit'], tel: ['+1 555'], org: { unit: 'Balcony' }, photo: { type: 'image/png', data: PNG_B64 } });
  });

  it('skips a PHOTO that is only a URL or not base64, and takes the next one that is', () => {
    const card = parseVCard(
      stanza(
        `<vCard xmlns='vcard-temp'><PHOTO><EXTVAL>http://example.org/me.png</EXTVAL></PHOTO><PHOTO><TYPE>image/png</TYPE><BINVAL>!!!</BINVAL></PHOTO>` +
          `<PHOTO><TYPE>IMAGE/PNG</TYPE><BINVAL>data:image/png;base64,${PNG_B64}</BINVAL></PHOTO></vCard>`,
      ),
    );
    expect(card.photo).toEqual({ type: 'image/png', data: PNG_B64 });
  });

  it('decodes sloppy base64 to canonical base64, refuses what is not base64', () => {
    expect(decodeLenientBase64('TWFu\r\nTQ')!.base64).toBe('TWFuTQ==');
    expect(decodeLenientBase64('TWE=')!.base64).toBe('TWE=');
    expect(decodeLenientBase64('TWF=')!.base64).toBe('TWE='); // non-zero pad bits cleared
    expect(decodeLenientBase64('TWFuT')).toBeUndefined();
    expect(decodeLenientBase64('TW*u')).toBeUndefined();
  });

  it('sniffs image types', () => {
    expect(sniffImageType(decodeLenientBase64(PNG_B64)!.bytes)).toBe('image/png');
    expect(sniffImageType(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(sniffImageType(new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61]))).toBe('image/gif');
    expect(sniffImageType(new Uint8Array([1, 2, 3]))).toBe('');
  });

  it('an empty or missing vCard is an empty card', () => {
    expect(parseVCard(undefined)).toEqual({ email: [], tel: [] });
    expect(parseVCard(stanza(`<vCard xmlns='vcard-temp'><FN>  </FN><ORG><ORGNAME/></ORG></vCard>`))).toEqual({ email: [], tel: [] });
  });
});

describe('XEP-0054 build (merge into the stored vCard)', () => {
  it('rewrites the edited fields and keeps the rest, including the flags of an email that stays', () => {
    const existing = stanza(STPETER);
    const el = buildVCard(
      { fn: 'Peter', nickname: ' ', email: ['stpeter@jabber.org', 'new@example.org'], tel: ['303-555-1212'], org: { name: 'XSF', unit: 'Board' }, title: 'Emeritus' },
      existing,
    );
    const out = wire(el);
    expect(out).toContain(`<N><FAMILY>Saint-Andre</FAMILY><GIVEN>Peter</GIVEN><MIDDLE/></N>`);
    expect(out).toContain(`<BDAY>1966-08-06</BDAY>`);
    expect(out).toContain(`<JABBERID>stpeter@jabber.org</JABBERID>`);
    expect(out).toContain(`<EMAIL><INTERNET/><PREF/><USERID>stpeter@jabber.org</USERID></EMAIL><EMAIL><INTERNET/><USERID>new@example.org</USERID></EMAIL>`);
    expect(out).toContain(`<TEL><HOME/><VOICE/><NUMBER>303-555-1212</NUMBER></TEL>`);
    expect(out).not.toContain('303-308-3282');
    expect(out).not.toContain('NICKNAME');
    expect(parseVCard(stanza(out))).toEqual({
      fn: 'Peter',
      email: ['stpeter@jabber.org', 'new@example.org'],
      tel: ['303-555-1212'],
      org: { name: 'XSF', unit: 'Board' },
      title: 'Emeritus',
    });
  });

  it('photo: undefined keeps the stored one, null removes it, a value replaces it', () => {
    const existing = stanza(`<vCard xmlns='vcard-temp'><PHOTO><TYPE>image/png</TYPE><BINVAL>${PNG_B64}</BINVAL></PHOTO></vCard>`);
    const base = { email: [], tel: [] };
    expect(parseVCard(stanza(wire(buildVCard(base, existing)))).photo).toEqual({ type: 'image/png', data: PNG_B64 });
    expect(parseVCard(stanza(wire(buildVCard({ ...base, photo: null }, existing)))).photo).toBeUndefined();
    expect(wire(buildVCard({ ...base, photo: { type: 'image/gif', data: 'R0lGODlh' } }, existing))).toBe(
      `<vCard xmlns='vcard-temp'><PHOTO><TYPE>image/gif</TYPE><BINVAL>R0lGODlh</BINVAL></PHOTO></vCard>`,
    );
  });
});

describe('XEP-0054 module', () => {
  it('gets our own vCard without a to, a contact’s at the bare JID', async () => {
    const { ctx, api } = setup();
    ctx.responder = () => stanza(STPETER);
    await expect(api.get()).resolves.toMatchObject({ fn: 'Peter Saint-Andre' });
    await api.get('ALICE@example.org/other');
    await api.get('juliet@capulet.lit/balcony');
    expect(ctx.sent.map(wire)).toEqual([
      `<iq type='get' id='id1'><vCard xmlns='vcard-temp'/></iq>`,
      `<iq type='get' id='id2'><vCard xmlns='vcard-temp'/></iq>`,
      `<iq type='get' to='juliet@capulet.lit' id='id3'><vCard xmlns='vcard-temp'/></iq>`,
    ]);
  });

  it('reads an empty result and item-not-found as an empty card; other errors reach the caller', async () => {
    const { ctx, api } = setup();
    ctx.responder = (iq) => (iq.attr('to') === 'a@x' ? null : iq.attr('to') === 'b@x' ? new IqError('item-not-found', 'cancel') : new IqError('forbidden', 'auth'));
    await expect(api.get('a@x')).resolves.toEqual({ email: [], tel: [] });
    await expect(api.get('b@x')).resolves.toEqual({ email: [], tel: [] });
    await expect(api.get('c@x')).rejects.toMatchObject({ condition: 'forbidden' });
  });

  it('set() reads the stored vCard, merges, writes; writes run one after another', async () => {
    const { ctx, api } = setup();
    let stored = STPETER;
    ctx.responder = (iq) => {
      if (iq.attr('type') === 'get') return stanza(stored);
      stored = wire(iq.elements()[0]!);
      return null;
    };
    const a = api.set({ fn: 'First', email: [], tel: [] });
    const b = api.set({ fn: 'Second', nickname: 'two', email: [], tel: [] });
    await Promise.all([a, b]);
    await flush();
    expect(ctx.sent.map((e) => e.attr('type'))).toEqual(['get', 'set', 'get', 'set']);
    expect(parseVCard(stanza(stored))).toEqual({ fn: 'Second', nickname: 'two', email: [], tel: [] });
    expect(stored).toContain('<BDAY>1966-08-06</BDAY>');
  });

  it('a failed write rejects that set() only', async () => {
    const { ctx, api } = setup();
    ctx.responder = (iq) => (iq.attr('type') === 'get' ? null : new IqError('not-allowed', 'cancel'));
    await expect(api.set({ email: [], tel: [] })).rejects.toMatchObject({ condition: 'not-allowed' });
    ctx.responder = () => null;
    await expect(api.set({ email: [], tel: [] })).resolves.toBeUndefined();
  });
});
