import { describe, expect, it } from 'vitest';
import { checkServerIdentity, matchDnsId, normalizeFingerprint, referenceId } from './cert';
import type { ParsedCert } from './x509';
import type { GeneralName } from './x509';

const ref = referenceId;

describe('matchDnsId (RFC 6125 §6.4)', () => {
  it.each([
    ['example.test', 'example.test', true],
    ['EXAMPLE.Test', 'example.test', true],
    ['example.test.', 'example.test', true],
    ['example.test', 'Example.TEST.', true],
    ['other.test', 'example.test', false],
    ['xmpp.example.test', 'example.test', false],
    ['example.test', 'xmpp.example.test', false],
  ])('exact: %s vs %s → %s', (presented, domain, ok) => {
    expect(matchDnsId(presented, ref(domain))).toBe(ok);
  });

  it.each([
    ['*.example.test', 'a.example.test', true],
    ['*.example.test', 'XMPP.Example.Test', true],
    ['*.example.test', 'example.test', false], // wildcard stands for exactly one label
    ['*.example.test', 'a.b.example.test', false],
    ['*.example.test', '.example.test', false],
    ['f*.example.test', 'foo.example.test', false], // partial-label wildcard: not honoured
    ['*o.example.test', 'foo.example.test', false],
    ['a.*.example.test', 'a.b.example.test', false], // only as the left-most label
    ['*.*.example.test', 'a.b.example.test', false], // at most one wildcard
    ['*.test', 'example.test', false], // no wildcard directly over a single remaining label
    ['*', 'example', false],
    ['*.example.test', 'xn--bcher-kva.example.test', true], // whole-label wildcard over an A-label
    ['xn--*.example.test', 'xn--bcher-kva.example.test', false],
  ])('wildcard: %s vs %s → %s', (presented, domain, ok) => {
    expect(matchDnsId(presented, ref(domain))).toBe(ok);
  });

  it('compares internationalised names as A-labels, case-insensitively', () => {
    expect(matchDnsId('xn--bcher-kva.example', ref('bücher.example'))).toBe(true);
    expect(matchDnsId('XN--BCHER-KVA.example', ref('BÜCHER.example'))).toBe(true);
    expect(matchDnsId('*.xn--bcher-kva.example', ref('chat.bücher.example'))).toBe(true);
    // A U-label in a dNSName is not a valid presented identifier.
    expect(matchDnsId('bücher.example', ref('bücher.example'))).toBe(false);
  });

  it('rejects empty or invalid reference identifiers', () => {
    expect(matchDnsId('example.test', ref(''))).toBe(false);
    expect(matchDnsId('*.example.test', ref('.example.test'))).toBe(false);
  });
});

function cert(sans: GeneralName[] | undefined, commonNames: string[] = []): ParsedCert {
  return { signatureAlgorithm: { oid: '1.2.840.10045.4.3.2' }, notBefore: new Date(0), notAfter: new Date(0), commonNames, subjectAltNames: sans };
}

describe('checkServerIdentity', () => {
  it('accepts a DNS-ID, SRV-ID or XmppAddr for the domain', () => {
    expect(checkServerIdentity('example.test', cert([{ kind: 'dns', value: 'example.test' }]))).toBe(true);
    expect(checkServerIdentity('example.test', cert([{ kind: 'srvName', value: '_xmpp-client.example.test' }]))).toBe(true);
    expect(checkServerIdentity('example.test', cert([{ kind: 'srvName', value: '_xmpps-client.example.test' }]))).toBe(true);
    expect(checkServerIdentity('example.test', cert([{ kind: 'srvName', value: '_xmpp-server.example.test' }]))).toBe(false);
    expect(checkServerIdentity('example.test', cert([{ kind: 'srvName', value: '_xmpp-client.*.test' }]))).toBe(false);
    expect(checkServerIdentity('example.test', cert([{ kind: 'xmppAddr', value: 'example.test' }]))).toBe(true);
    expect(checkServerIdentity('bücher.example', cert([{ kind: 'xmppAddr', value: 'bücher.example' }]))).toBe(true);
    expect(checkServerIdentity('example.test', cert([{ kind: 'xmppAddr', value: 'user@example.test' }]))).toBe(false);
  });

  it('uses the CN only when the certificate presents no DNS-ID, SRV-ID, URI-ID or XmppAddr', () => {
    expect(checkServerIdentity('example.test', cert(undefined, ['example.test']))).toBe(true);
    expect(checkServerIdentity('example.test', cert([{ kind: 'email', value: 'admin@example.test' }], ['example.test']))).toBe(true);
    expect(checkServerIdentity('example.test', cert([{ kind: 'dns', value: 'other.test' }], ['example.test']))).toBe(false);
    expect(checkServerIdentity('example.test', cert([{ kind: 'xmppAddr', value: 'other.test' }], ['example.test']))).toBe(false);
    expect(checkServerIdentity('example.test', cert([{ kind: 'uri', value: 'xmpp:other.test' }], ['example.test']))).toBe(false);
    expect(checkServerIdentity('a.example.test', cert(undefined, ['*.example.test']))).toBe(true);
    expect(checkServerIdentity('example.test', cert(undefined, ['Example Server']))).toBe(false);
  });

  it('matches an IP-literal domain against iPAddress entries only', () => {
    expect(checkServerIdentity('127.0.0.1', cert([{ kind: 'ip', value: '127.0.0.1' }]))).toBe(true);
    expect(checkServerIdentity('127.0.0.1', cert([{ kind: 'dns', value: '127.0.0.1' }], ['127.0.0.1']))).toBe(false);
    expect(checkServerIdentity('[::1]', cert([{ kind: 'ip', value: '0:0:0:0:0:0:0:1' }]))).toBe(true);
    expect(checkServerIdentity('2001:db8::1:2', cert([{ kind: 'ip', value: '2001:db8:0:0:0:0:1:2' }]))).toBe(true);
    expect(checkServerIdentity('::ffff:10.0.0.1', cert([{ kind: 'ip', value: '0:0:0:0:0:ffff:a00:1' }]))).toBe(true);
    expect(checkServerIdentity('10.0.0.2', cert([{ kind: 'ip', value: '10.0.0.1' }]))).toBe(false);
  });
});

describe('normalizeFingerprint', () => {
  it('ignores separators and case', () => {
    expect(normalizeFingerprint('ab:cd:0f')).toBe('ABCD0F');
    expect(normalizeFingerprint('ABCD0F')).toBe(normalizeFingerprint('ab:CD:0f'));
  });
});
