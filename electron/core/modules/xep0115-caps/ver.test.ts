import { describe, expect, it } from 'vitest';
import { nodeCrypto } from '../../../main/crypto';
import { type CapsInfo, capsHash, capsVerificationString, compareOctets, validateCapsInfo, verifyCaps } from './ver';

// XEP-0115 §5.2
const simple: CapsInfo = {
  identities: [{ category: 'client', type: 'pc', name: 'Exodus 0.9.1' }],
  features: ['http://jabber.org/protocol/disco#info', 'http://jabber.org/protocol/disco#items', 'http://jabber.org/protocol/muc', 'http://jabber.org/protocol/caps'],
};

// XEP-0115 §5.3, identities and fields deliberately out of order.
const complex: CapsInfo = {
  identities: [
    { category: 'client', type: 'pc', lang: 'en', name: 'Psi 0.11' },
    { category: 'client', type: 'pc', lang: 'el', name: 'Ψ 0.11' },
  ],
  features: ['http://jabber.org/protocol/muc', 'http://jabber.org/protocol/caps', 'http://jabber.org/protocol/disco#info', 'http://jabber.org/protocol/disco#items'],
  forms: [
    {
      formType: 'urn:xmpp:dataforms:softwareinfo',
      fields: [
        { var: 'software_version', values: ['0.11'] },
        { var: 'os', values: ['Mac'] },
        { var: 'ip_version', values: ['ipv6', 'ipv4'] },
        { var: 'os_version', values: ['10.5.1'] },
        { var: 'software', values: ['Psi'] },
      ],
    },
  ],
};

describe('XEP-0115 verification string', () => {
  it('§5.2 simple example', () => {
    expect(capsVerificationString(simple)).toBe(
      'client/pc//Exodus 0.9.1<http://jabber.org/protocol/caps<http://jabber.org/protocol/disco#info<http://jabber.org/protocol/disco#items<http://jabber.org/protocol/muc<',
    );
    expect(capsHash(simple, nodeCrypto)).toBe('QgayPKawpkPSDYmwT/WM94uAlu0=');
  });

  it('§5.3 complex example', () => {
    expect(capsVerificationString(complex)).toBe(
      'client/pc/el/Ψ 0.11<client/pc/en/Psi 0.11<http://jabber.org/protocol/caps<http://jabber.org/protocol/disco#info<' +
        'http://jabber.org/protocol/disco#items<http://jabber.org/protocol/muc<urn:xmpp:dataforms:softwareinfo<' +
        'ip_version<ipv4<ipv6<os<Mac<os_version<10.5.1<software<Psi<software_version<0.11<',
    );
    expect(capsHash(complex, nodeCrypto)).toBe('q07IKJEyjvHSyhy//CH0CxmKi8w=');
    expect(verifyCaps(complex, 'q07IKJEyjvHSyhy//CH0CxmKi8w=', nodeCrypto)).toBe(true);
    expect(verifyCaps(simple, 'q07IKJEyjvHSyhy//CH0CxmKi8w=', nodeCrypto)).toBe(false);
  });

  it('does not depend on input order, and skips FORM_TYPE among the fields and forms without one', () => {
    const shuffled: CapsInfo = {
      identities: [...complex.identities].reverse(),
      features: [...complex.features].reverse(),
      forms: [
        { formType: '', fields: [{ var: 'ignored', values: ['x'] }] },
        { formType: 'urn:xmpp:dataforms:softwareinfo', fields: [{ var: 'FORM_TYPE', values: ['urn:xmpp:dataforms:softwareinfo'] }, ...[...complex.forms![0]!.fields].reverse()] },
      ],
    };
    expect(capsHash(shuffled, nodeCrypto)).toBe('q07IKJEyjvHSyhy//CH0CxmKi8w=');
  });

  it('sorts forms by FORM_TYPE', () => {
    const s = capsVerificationString({ identities: [], features: [], forms: [{ formType: 'urn:b', fields: [] }, { formType: 'urn:a', fields: [{ var: 'f', values: ['2', '1'] }] }] });
    expect(s).toBe('urn:a<f<1<2<urn:b<');
  });

  it('sorts by octets (code points), not UTF-16 units', () => {
    expect(compareOctets('\u{1F600}', '\uFB01')).toBeGreaterThan(0); // U+1F600 > U+FB01
    expect('\u{1F600}' < '\uFB01').toBe(true); // …which plain JS comparison gets wrong
    expect(compareOctets('a', 'ab')).toBeLessThan(0);
    expect(compareOctets('b', 'a')).toBeGreaterThan(0);
    expect(compareOctets('x', 'x')).toBe(0);
    expect(capsVerificationString({ identities: [], features: ['\u{1F600}', '\uFB01'] })).toBe('\uFB01<\u{1F600}<');
  });
});

describe('XEP-0115 §5.4 well-formedness', () => {
  it('accepts the spec examples', () => {
    expect(validateCapsInfo(simple)).toEqual({ ok: true });
    expect(validateCapsInfo(complex)).toEqual({ ok: true });
  });

  it('rejects a duplicate identity', () => {
    const r = validateCapsInfo({ ...simple, identities: [...simple.identities, { category: 'client', type: 'pc', name: 'Exodus 0.9.1' }] });
    expect(r).toMatchObject({ ok: false, reason: expect.stringContaining('duplicate identity') });
    // Same category/type but a different name is fine.
    expect(validateCapsInfo({ ...simple, identities: [...simple.identities, { category: 'client', type: 'pc', name: 'Other' }] }).ok).toBe(true);
  });

  it('rejects a duplicate feature', () => {
    const r = validateCapsInfo({ ...simple, features: [...simple.features, 'http://jabber.org/protocol/muc'] });
    expect(r).toEqual({ ok: false, reason: 'duplicate feature http://jabber.org/protocol/muc' });
    expect(verifyCaps({ ...simple, features: [...simple.features, 'http://jabber.org/protocol/muc'] }, capsHash(simple, nodeCrypto), nodeCrypto)).toBe(false);
  });

  it('rejects two forms with the same FORM_TYPE', () => {
    const r = validateCapsInfo({ ...complex, forms: [...complex.forms!, { formType: 'urn:xmpp:dataforms:softwareinfo', fields: [] }] });
    expect(r).toMatchObject({ ok: false, reason: expect.stringContaining('FORM_TYPE urn:xmpp:dataforms:softwareinfo') });
  });
});
