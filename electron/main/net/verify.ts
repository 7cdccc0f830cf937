// TLS client options and the certificate decision taken on 'secureConnect', before the transport
// hands the socket to anyone (RFC 6120 §13.7.2; RFC 7590 §3.4: verify, and never fall back to an
// unverified connection).
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import * as tls from 'node:tls';
import type { X509Certificate } from 'node:crypto';
import { certInfo, checkServerIdentity, noCertInfo, normalizeFingerprint, referenceId, TlsVerifyError, tryParseCertificate } from './cert';
import type { CertInfo, CertProblem } from './cert';
import type { ParsedCert } from './x509';
import { channelBindings } from './channel-binding';
import type { ChannelBindings } from './channel-binding';

export interface TlsPolicy {
  /** The JID domain: sent as SNI and checked against the certificate (RFC 6120 §13.7.2.1). */
  servername: string;
  /** Extra trusted CAs (PEM), added to Node's default root store. */
  ca?: string | string[];
  /**
   * The SHA-256 fingerprint ('AB:CD:…') of the one certificate the user accepted for this account.
   * When set, exactly that leaf is accepted — even if its chain, validity or name would fail — and
   * any other certificate is refused, however well it verifies.
   */
  pinnedFingerprint256?: string;
  minVersion?: 'TLSv1.2' | 'TLSv1.3';
  maxVersion?: 'TLSv1.2' | 'TLSv1.3';
}

export interface TlsInfo {
  /** 'TLSv1.3', 'TLSv1.2' */
  protocol: string;
  /** IANA cipher suite name, e.g. 'TLS_AES_256_GCM_SHA384'. */
  cipher: string;
  cert: CertInfo;
  channelBindings: ChannelBindings;
}

let extraCaFromEnv: string[] | undefined;
/**
 * Node adds NODE_EXTRA_CA_CERTS to its default store only when `ca` is not given; since we pass
 * `ca` whenever the policy has extra CAs, we add the file ourselves to keep the user's setting.
 */
function envExtraCa(): string[] {
  if (extraCaFromEnv) return extraCaFromEnv;
  const file = process.env.NODE_EXTRA_CA_CERTS;
  extraCaFromEnv = [];
  if (file) {
    try {
      extraCaFromEnv = [readFileSync(file, 'utf8')];
    } catch {
      // Node itself only warns about an unreadable file; so do we, by ignoring it.
    }
  }
  return extraCaFromEnv;
}

// Building a context with the ~140 default roots plus extra CAs costs ≈ 30 ms; a reconnecting
// account reuses its context instead. Keyed by everything that goes into the context.
const contexts = new Map<string, tls.SecureContext>();
const MAX_CONTEXTS = 16;

function secureContext(policy: TlsPolicy): tls.SecureContext {
  const extra = policy.ca === undefined ? [] : Array.isArray(policy.ca) ? policy.ca : [policy.ca];
  const minVersion = policy.minVersion ?? 'TLSv1.2';
  const key = JSON.stringify([extra, minVersion, policy.maxVersion ?? null]);
  let ctx = contexts.get(key);
  if (!ctx) {
    ctx = tls.createSecureContext({
      // `ca` replaces the default store in Node, so pass the defaults along with the extra CAs.
      ca: extra.length ? [...tls.rootCertificates, ...envExtraCa(), ...extra] : undefined,
      minVersion,
      maxVersion: policy.maxVersion,
    });
    if (contexts.size >= MAX_CONTEXTS) contexts.delete(contexts.keys().next().value!);
    contexts.set(key, ctx);
  }
  return ctx;
}

export function tlsConnectOptions(policy: TlsPolicy, alpn: boolean): tls.ConnectionOptions {
  const sni = referenceId(policy.servername);
  return {
    // Sent only for a DNS name: RFC 6066 §3 forbids IP literals in SNI.
    servername: sni && !isIP(policy.servername.replace(/^\[(.*)\]$/, '$1')) ? sni : undefined,
    secureContext: secureContext(policy),
    ALPNProtocols: alpn ? ['xmpp-client'] : undefined, // XEP-0368 §3 rules 7–8
    // ─────────────────────────────────────────────────────────────────────────────────────────────
    // SECURITY: rejectUnauthorized is false ON PURPOSE, and it is safe here. OpenSSL still verifies
    // the chain (socket.authorized / authorizationError report the result); Node just does not tear
    // the socket down by itself. We do it: verifyPeer() runs on 'secureConnect', before the socket
    // is handed to any caller and before a single application byte is written or read (transport.ts:
    // a direct-TLS connect resolves only after it; STARTTLS queues writes and attaches the reader only
    // after it), and on any failure the socket is destroyed and the promise rejects with
    // TlsVerifyError. certProblems() counts !socket.authorized as a problem, so a chain OpenSSL
    // refused is refused here too, unless the certificate's SHA-256 equals the user's pin. We need this so
    // (a) a user-pinned certificate can be accepted when its chain does not verify, and (b) the
    // error carries the certificate (subject, issuer, validity, fingerprint) for the user to judge.
    // There is no "accept any certificate" switch: a connection is accepted only by verifyPeer().
    // ─────────────────────────────────────────────────────────────────────────────────────────────
    rejectUnauthorized: false,
    // Make socket.authorized mean "the chain verified" only; the name check is ours (cert.ts).
    checkServerIdentity: () => undefined,
  };
}

// OpenSSL X509_V_ERR_* names as Node reports them in authorizationError.
const CHAIN_PROBLEMS: Record<string, CertProblem> = {
  CERT_HAS_EXPIRED: 'expired',
  CERT_NOT_YET_VALID: 'not-yet-valid',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'untrusted-issuer',
  UNABLE_TO_GET_ISSUER_CERT: 'untrusted-issuer',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'untrusted-issuer',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'untrusted-issuer',
  CERT_UNTRUSTED: 'untrusted-issuer',
  INVALID_CA: 'untrusted-issuer',
  CERT_CHAIN_TOO_LONG: 'untrusted-issuer',
  PATH_LENGTH_EXCEEDED: 'untrusted-issuer',
};

/**
 * Every reason the normal (unpinned) rules refuse this certificate, most fundamental first.
 * `parsed` is our reading of the certificate's DER (undefined when our reader refused it: then no
 * identity can be found in it).
 */
export function certProblems(socket: tls.TLSSocket, cert: X509Certificate, parsed: ParsedCert | undefined, servername: string, now = Date.now()): CertProblem[] {
  const problems: CertProblem[] = [];
  const add = (p: CertProblem) => {
    if (!problems.includes(p)) problems.push(p);
  };
  if (!socket.authorized) {
    const code = String(socket.authorizationError ?? '');
    // A self-signed leaf is reported as such whatever error OpenSSL happened to record last.
    add(cert.checkIssued(cert) && cert.verify(cert.publicKey) ? 'self-signed' : (CHAIN_PROBLEMS[code] ?? 'other'));
  }
  // OpenSSL reports one error; check the leaf's own validity window so it is never hidden.
  const notBefore = parsed ? parsed.notBefore.getTime() : Date.parse(cert.validFrom);
  const notAfter = parsed ? parsed.notAfter.getTime() : Date.parse(cert.validTo);
  if (now < notBefore) add('not-yet-valid');
  if (now > notAfter) add('expired');
  if (!parsed || !checkServerIdentity(servername, parsed)) add('hostname-mismatch');
  return problems;
}

/**
 * The decision, on 'secureConnect'. Returns the connection facts when accepted; throws
 * TlsVerifyError otherwise (the caller destroys the socket).
 *
 * The certificate's DER is read once, for the identity and validity checks. What is only needed
 * later, or only by some logins — the plain-data view for the UI (`cert`) and the channel
 * bindings — is computed when first read.
 */
export function verifyPeer(socket: tls.TLSSocket, policy: TlsPolicy): TlsInfo {
  const cert = socket.getPeerX509Certificate();
  if (!cert) throw new TlsVerifyError('other', noCertInfo, ['other'], false, 'the server presented no certificate');
  const parsed = tryParseCertificate(cert.raw);
  const problems = certProblems(socket, cert, parsed, policy.servername);

  if (policy.pinnedFingerprint256 !== undefined) {
    if (normalizeFingerprint(policy.pinnedFingerprint256) !== normalizeFingerprint(cert.fingerprint256)) {
      const shown = problems.length ? problems : (['other'] as CertProblem[]);
      throw new TlsVerifyError(shown[0]!, certInfo(cert, parsed), shown, true);
    }
  } else if (problems.length > 0) {
    const detail = socket.authorized ? undefined : String(socket.authorizationError ?? '');
    throw new TlsVerifyError(problems[0]!, certInfo(cert, parsed), problems, false, detail);
  }

  const cipher = socket.getCipher();
  let info: CertInfo | undefined;
  return {
    protocol: socket.getProtocol() ?? 'unknown',
    cipher: cipher.standardName || cipher.name,
    get cert() {
      return (info ??= certInfo(cert, parsed));
    },
    channelBindings: channelBindings(socket, cert),
  };
}
