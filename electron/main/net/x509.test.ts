// Certificates made by the openssl CLI, read back by our DER code and checked against openssl's own
// view of them (fingerprint, dates, digests) and against OpenSSL's X509_check_host.
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certInfo, checkServerIdentity } from './cert';
import { serverEndPointHash, tlsServerEndPoint } from './channel-binding';
import { parseCertificate } from './x509';

let dir: string;
const openssl = (args: string[], input?: Buffer): Buffer => execFileSync('openssl', args, { cwd: dir, input, stdio: ['pipe', 'pipe', 'pipe'] });

/** A self-signed certificate; returns its path. */
function makeCert(name: string, opts: { key: string; subj?: string; digest?: string; sigopts?: string[]; san?: string }): string {
  const args = ['req', '-x509', '-key', opts.key, '-subj', opts.subj ?? '/CN=example.test', '-days', '2', '-out', `${name}.pem`];
  if (opts.digest) args.push(`-${opts.digest}`);
  for (const s of opts.sigopts ?? []) args.push('-sigopt', s);
  if (opts.san) args.push('-addext', `subjectAltName=${opts.san}`);
  openssl(args);
  return join(dir, `${name}.pem`);
}
const load = (path: string) => new X509Certificate(readFileSync(path));
const der = (path: string) => openssl(['x509', '-in', path, '-outform', 'DER']);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'flint-x509-'));
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'ec.key']);
  openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'rsa.key']);
  openssl(['genpkey', '-algorithm', 'ED25519', '-out', 'ed.key']);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('certInfo', () => {
  it('reports subject, issuer, validity, fingerprint and typed subjectAltNames as openssl sees them', () => {
    const path = makeCert('full', {
      key: 'ec.key',
      subj: '/O=Flint Test/CN=example.test',
      san: 'DNS:example.test,DNS:*.example.test,IP:127.0.0.1,IP:::1,otherName:1.3.6.1.5.5.7.8.5;UTF8:example.test,otherName:1.3.6.1.5.5.7.8.7;IA5:_xmpp-client.example.test,URI:xmpp:example.test',
    });
    const info = certInfo(load(path));
    const text = openssl(['x509', '-in', path, '-noout', '-fingerprint', '-sha256', '-startdate', '-enddate', '-dateopt', 'iso_8601']).toString();
    const fp = /Fingerprint=([0-9A-F:]+)/.exec(text)![1];
    const iso = (field: string) => new Date(new RegExp(`${field}=(.+)`).exec(text)![1]!.replace(' ', 'T')).toISOString();

    expect(info).toEqual({
      subject: 'O=Flint Test, CN=example.test',
      issuer: 'O=Flint Test, CN=example.test',
      validFrom: iso('notBefore'),
      validTo: iso('notAfter'),
      fingerprint256: fp,
      altNames: [
        'DNS:example.test',
        'DNS:*.example.test',
        'IP:127.0.0.1',
        'IP:0:0:0:0:0:0:0:1',
        'XmppAddr:example.test',
        'SRV:_xmpp-client.example.test',
        'URI:xmpp:example.test',
      ],
    });
    expect(Date.parse(info.validTo) - Date.parse(info.validFrom)).toBe(2 * 86_400_000);
  });

  it('accepts a tls.PeerCertificate-shaped object (raw DER)', () => {
    const path = makeCert('peer', { key: 'ec.key', san: 'DNS:example.test' });
    const x509 = load(path);
    expect(certInfo({ raw: x509.raw } as never).fingerprint256).toBe(x509.fingerprint256);
  });
});

describe('checkServerIdentity on real certificates', () => {
  it('finds XmppAddr and SRV-ID entries (otherName) that Node only prints', () => {
    const xmppAddr = load(makeCert('xa', { key: 'ec.key', subj: '/CN=wrong.test', san: 'otherName:1.3.6.1.5.5.7.8.5;UTF8:example.test' }));
    expect(checkServerIdentity('example.test', xmppAddr)).toBe(true);
    expect(checkServerIdentity('wrong.test', xmppAddr)).toBe(false); // SAN present: CN not consulted
    const srvId = load(makeCert('srv', { key: 'ec.key', san: 'otherName:1.3.6.1.5.5.7.8.7;IA5:_xmpp-client.example.test' }));
    expect(checkServerIdentity('example.test', srvId)).toBe(true);
    expect(checkServerIdentity('other.test', srvId)).toBe(false);
  });

  it('falls back to the CN only without a subjectAltName', () => {
    const noSan = load(makeCert('nosan', { key: 'ec.key', subj: '/CN=example.test' }));
    expect(parseCertificate(noSan.raw).subjectAltNames).toBeUndefined();
    expect(checkServerIdentity('example.test', noSan)).toBe(true);
    const withSan = load(makeCert('withsan', { key: 'ec.key', subj: '/CN=example.test', san: 'DNS:other.test' }));
    expect(checkServerIdentity('example.test', withSan)).toBe(false);
  });

  it('matches IDN domains through A-labels', () => {
    const idn = load(makeCert('idn', { key: 'ec.key', san: 'DNS:xn--bcher-kva.example' }));
    expect(checkServerIdentity('bücher.example', idn)).toBe(true);
    expect(checkServerIdentity('bucher.example', idn)).toBe(false);
  });

  it('agrees with OpenSSL X509_check_host in strict mode on DNS-ID wildcards', () => {
    const wild = load(makeCert('wild', { key: 'ec.key', san: 'DNS:*.example.test,DNS:f*.other.test,DNS:exact.test' }));
    const strict = { subject: 'never', wildcards: true, partialWildcards: false, multiLabelWildcards: false, singleLabelSubdomains: false } as const;
    for (const host of ['a.example.test', 'example.test', 'a.b.example.test', 'foo.other.test', 'exact.test', 'EXACT.test', 'x.exact.test']) {
      expect([host, checkServerIdentity(host, wild)]).toEqual([host, wild.checkHost(host, strict) !== undefined]);
    }
  });
});

describe('tls-server-end-point hash (RFC 5929 §4.1)', () => {
  it.each([
    ['ec.key', 'sha256', [], 'sha256'],
    ['ec.key', 'sha384', [], 'sha384'],
    ['ec.key', 'sha512', [], 'sha512'],
    ['ec.key', 'sha1', [], 'sha256'], // SHA-1 is upgraded to SHA-256
    ['rsa.key', 'md5', [], 'sha256'], // so is MD5
    ['rsa.key', 'sha224', [], 'sha224'],
    ['rsa.key', 'sha384', ['rsa_padding_mode:pss', 'rsa_pss_saltlen:-1'], 'sha384'], // RSASSA-PSS parameters
  ])('%s signed with %s %j → %s', (key, digest, sigopts, expected) => {
    const path = makeCert(`cb-${key}-${digest}-${sigopts.length}`, { key, digest, sigopts, san: 'DNS:example.test' });
    const cert = load(path);
    expect(serverEndPointHash(cert.raw)).toBe(expected);
    const viaOpenssl = openssl(['dgst', `-${expected}`, '-binary'], der(path));
    expect(Buffer.from(tlsServerEndPoint(cert)!)).toEqual(viaOpenssl);
  });

  it('is undefined for Ed25519 (no hash) and for PSS with two different hashes', () => {
    expect(serverEndPointHash(load(makeCert('ed', { key: 'ed.key', san: 'DNS:example.test' })).raw)).toBeUndefined();
    const mixed = makeCert('pss-mixed', { key: 'rsa.key', digest: 'sha384', sigopts: ['rsa_padding_mode:pss', 'rsa_mgf1_md:sha256'] });
    expect(serverEndPointHash(load(mixed).raw)).toBeUndefined();
  });
});
