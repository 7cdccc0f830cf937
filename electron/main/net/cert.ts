// Server certificate identity (RFC 6125 as profiled by RFC 6120 §13.7.2) and a plain-data view of a
// certificate for the UI. We do the identity check ourselves instead of relying on Node's
// tls.checkServerIdentity so the rules are ours and tested: DNS-ID, SRV-ID and XmppAddr from the
// subjectAltName, CN only when the certificate presents none of those, wildcard only as the whole
// left-most label.
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import type { PeerCertificate } from 'node:tls';
import { parseCertificate } from './x509';
import type { GeneralName, ParsedCert } from './x509';

export type CertProblem = 'untrusted-issuer' | 'hostname-mismatch' | 'expired' | 'not-yet-valid' | 'self-signed' | 'other';

// The plain-data form that crosses to the UI (subject, issuer, validity, fingerprint, names).
export type { CertInfo } from '../../../shared/domain';
import type { CertInfo } from '../../../shared/domain';

/** A certificate we refused. `problem` is the first of `problems`, which lists every check that failed. */
export class TlsVerifyError extends Error {
  override readonly name = 'TlsVerifyError';
  constructor(
    readonly problem: CertProblem,
    readonly cert: CertInfo,
    readonly problems: readonly CertProblem[] = [problem],
    /** True when a pinned fingerprint was configured and the server presented another certificate. */
    readonly pinMismatch = false,
    detail?: string,
  ) {
    super(
      `TLS certificate rejected (${problems.join(', ')}${pinMismatch ? ', not the pinned certificate' : ''}): ` +
        `subject "${cert.subject}", issuer "${cert.issuer}", valid ${cert.validFrom} – ${cert.validTo}, ` +
        `SHA-256 ${cert.fingerprint256}${detail ? ` (${detail})` : ''}`,
    );
  }
}

export function toX509(cert: PeerCertificate | X509Certificate): X509Certificate {
  return cert instanceof X509Certificate ? cert : new X509Certificate(cert.raw);
}

const formatAltName = (n: GeneralName): string => {
  switch (n.kind) {
    case 'dns': return `DNS:${n.value}`;
    case 'ip': return `IP:${n.value}`;
    case 'uri': return `URI:${n.value}`;
    case 'email': return `email:${n.value}`;
    case 'xmppAddr': return `XmppAddr:${n.value}`;
    case 'srvName': return `SRV:${n.value}`;
    case 'other': return n.value;
  }
};

/**
 * The plain-data view of a certificate. `parsed` is our reading of its DER when the caller already
 * has it (undefined: OpenSSL accepted the certificate but our reader did not, so Node's strings are
 * used); without the argument the DER is read here.
 */
export function certInfo(cert: PeerCertificate | X509Certificate, parsed: ParsedCert | undefined | null = null): CertInfo {
  const x509 = toX509(cert);
  if (parsed === null) parsed = tryParseCertificate(x509.raw);
  return {
    subject: x509.subject.split('\n').join(', '),
    issuer: x509.issuer.split('\n').join(', '),
    validFrom: (parsed?.notBefore ?? new Date(x509.validFrom)).toISOString(),
    validTo: (parsed?.notAfter ?? new Date(x509.validTo)).toISOString(),
    fingerprint256: x509.fingerprint256,
    altNames: parsed?.subjectAltNames?.map(formatAltName) ?? [],
  };
}

/** parseCertificate(), or undefined when our DER reader does not accept the certificate. */
export function tryParseCertificate(der: Uint8Array): ParsedCert | undefined {
  try {
    return parseCertificate(der);
  } catch {
    return undefined;
  }
}

/** Placeholder for a handshake that produced no peer certificate at all. */
export const noCertInfo: CertInfo = { subject: '', issuer: '', validFrom: '', validTo: '', fingerprint256: '', altNames: [] };

/** Normalises a fingerprint for comparison: hex digits only, upper case ('ab:cd' ≡ 'ABCD'). */
export function normalizeFingerprint(fp: string): string {
  return fp.replace(/[:\s]/g, '').toUpperCase();
}

/**
 * The reference identifier (RFC 6125 §6.2.1): the domain as an A-label string, lower case, no
 * trailing dot; '' when it is not a valid domain name.
 */
export function referenceId(domain: string): string {
  const d = domain.replace(/\.$/, '');
  if (d === '' || d.startsWith('.')) return '';
  return domainToASCII(d).toLowerCase();
}

const printableAscii = /^[\x21-\x7e]+$/;

/**
 * RFC 6125 §6.4.1/§6.4.3 DNS-ID (and CN-ID) matching against a reference identifier from
 * referenceId(). Case-insensitive ASCII comparison; internationalised names compare as A-labels.
 * A wildcard is honoured only as the complete left-most label of a name with at least two more
 * labels ('*.example.test' matches 'a.example.test' but not 'example.test', 'a.b.example.test';
 * 'f*.example.test', '*.*.example.test' and '*.test' match nothing).
 */
export function matchDnsId(presented: string, reference: string): boolean {
  const p = presented.toLowerCase().replace(/\.$/, '');
  if (!reference || !printableAscii.test(p)) return false;
  if (!p.includes('*')) return p === reference;
  const labels = p.split('.');
  if (labels[0] !== '*' || labels.length < 3) return false;
  if (labels.slice(1).some((l) => l === '' || l.includes('*'))) return false;
  const refLabels = reference.split('.');
  if (refLabels.length !== labels.length || refLabels[0] === '') return false;
  return refLabels.slice(1).join('.') === labels.slice(1).join('.');
}

/** RFC 4985 SRV-ID '_xmpp-client.example.test' (RFC 6120 §13.7.2.1); no wildcards in SRV-IDs. */
function matchSrvId(presented: string, reference: string): boolean {
  const m = /^(_xmpps?-client)\.(.+)$/i.exec(presented);
  return !!m && referenceId(m[2]!) === reference;
}

/** RFC 6120 §13.7.1.4: an XmppAddr is a UTF-8 JID; for a server it is the bare domain. */
function matchXmppAddr(presented: string, reference: string): boolean {
  return referenceId(presented) === reference;
}

function ipBytes(ip: string): string | undefined {
  const s = ip.replace(/^\[(.*)\]$/, '$1');
  const v = isIP(s);
  if (v === 4) return s.split('.').map((n) => Number(n).toString(16).padStart(2, '0')).join('');
  if (v !== 6) return undefined;
  let text = s;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const b = v4[1]!.split('.').map(Number);
    text = text.slice(0, v4.index) + `${((b[0]! << 8) | b[1]!).toString(16)}:${((b[2]! << 8) | b[3]!).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return groups.map((g) => g.padStart(4, '0').toLowerCase()).join('');
}

/**
 * Does the certificate identify `domain` (the JID domainpart)? RFC 6125 §6 for DNS-ID/SRV-ID/CN-ID,
 * RFC 6120 §13.7.1.4 for XmppAddr; an IP-literal domain is compared with iPAddress entries only.
 * CN is consulted only when the subjectAltName has no DNS-ID, SRV-ID, URI-ID or XmppAddr (§6.4.4).
 */
export function checkServerIdentity(domain: string, cert: PeerCertificate | X509Certificate | ParsedCert): boolean {
  let parsed: ParsedCert;
  try {
    parsed = 'raw' in cert ? parseCertificate(toX509(cert).raw) : cert;
  } catch {
    return false;
  }
  const sans = parsed.subjectAltNames ?? [];

  const ip = ipBytes(domain);
  if (ip !== undefined) return sans.some((n) => n.kind === 'ip' && ipBytes(n.value) === ip);

  const ref = referenceId(domain);
  if (!ref) return false;
  for (const n of sans) {
    if (n.kind === 'dns' && matchDnsId(n.value, ref)) return true;
    if (n.kind === 'srvName' && matchSrvId(n.value, ref)) return true;
    if (n.kind === 'xmppAddr' && matchXmppAddr(n.value, ref)) return true;
  }
  const presentsIds = sans.some((n) => n.kind === 'dns' || n.kind === 'srvName' || n.kind === 'xmppAddr' || n.kind === 'uri');
  if (presentsIds) return false;
  return parsed.commonNames.some((cn) => matchDnsId(cn, ref));
}
