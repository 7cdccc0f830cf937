// TLS channel bindings for SCRAM-*-PLUS (RFC 5802 §6, RFC 9266, RFC 5929).
import { createHash } from 'node:crypto';
import type { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import { TAG, children, ctx, decodeOid, DerError } from './der';
import type { Tlv } from './der';
import { OID, parseCertificate } from './x509';

export interface ChannelBindings {
  'tls-exporter'?: Uint8Array;
  'tls-server-end-point'?: Uint8Array;
  'tls-unique'?: Uint8Array;
}

type Hash = 'md5' | 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512';

const HASH_OIDS: Record<string, Hash> = {
  '1.2.840.113549.2.5': 'md5',
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

// Signature algorithms built on one hash function (RFC 3279, RFC 4055, RFC 5758).
const SIGNATURE_HASH: Record<string, Hash> = {
  '1.2.840.113549.1.1.4': 'md5', // md5WithRSAEncryption
  '1.2.840.113549.1.1.5': 'sha1', // sha1WithRSAEncryption
  '1.3.14.3.2.29': 'sha1', // sha1WithRSASignature (OIW)
  '1.2.840.113549.1.1.14': 'sha224',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.1': 'sha1', // ecdsa-with-SHA1
  '1.2.840.10045.4.3.1': 'sha224',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
  '1.2.840.10040.4.3': 'sha1', // dsa-with-sha1
  '2.16.840.1.101.3.4.3.1': 'sha224', // dsa-with-sha224
  '2.16.840.1.101.3.4.3.2': 'sha256', // dsa-with-sha256
};

/** RFC 4055 §3.1 RSASSA-PSS-params: hashAlgorithm [0] (default SHA-1), maskGenAlgorithm [1] (default MGF1 with SHA-1). */
function pssHashes(params: Tlv | undefined): [Hash | undefined, Hash | undefined] {
  let hash: Hash | undefined = 'sha1';
  let mgfHash: Hash | undefined = 'sha1';
  if (params?.tag !== TAG.SEQUENCE) return [hash, mgfHash];
  const algOid = (alg: Tlv | undefined): string => decodeOid(children(alg?.value ?? new Uint8Array())[0]?.value ?? new Uint8Array());
  for (const field of children(params.value)) {
    if (field.tag === ctx(0, true)) hash = HASH_OIDS[algOid(children(field.value)[0])];
    if (field.tag === ctx(1, true)) {
      const [mgf, mgfParams] = children(children(field.value)[0]?.value ?? new Uint8Array());
      if (!mgf || decodeOid(mgf.value) !== OID.mgf1) mgfHash = undefined;
      else mgfHash = HASH_OIDS[algOid(mgfParams)];
    }
  }
  return [hash, mgfHash];
}

/**
 * The hash function RFC 5929 §4.1 prescribes for tls-server-end-point: the one of the certificate's
 * signatureAlgorithm, except MD5 and SHA-1 become SHA-256. undefined when the algorithm uses no hash
 * (Ed25519, Ed448), several different ones (RSASSA-PSS with a different MGF1 hash) or one we do not
 * know — the binding is then "undefined at this time" and must not be offered.
 */
export function serverEndPointHash(der: Uint8Array): Hash | undefined {
  let hash: Hash | undefined;
  try {
    const { signatureAlgorithm } = parseCertificate(der);
    if (signatureAlgorithm.oid === OID.rsassaPss) {
      const [h, mgf] = pssHashes(signatureAlgorithm.params);
      hash = h && h === mgf ? h : undefined;
    } else hash = SIGNATURE_HASH[signatureAlgorithm.oid];
  } catch (e) {
    if (e instanceof DerError) return undefined;
    throw e;
  }
  return hash === 'md5' || hash === 'sha1' ? 'sha256' : hash;
}

/** RFC 5929 §4.1: the hash of the DER server certificate (not the chain) with serverEndPointHash(). */
export function tlsServerEndPoint(cert: X509Certificate): Uint8Array | undefined {
  const hash = serverEndPointHash(cert.raw);
  return hash ? new Uint8Array(createHash(hash).update(cert.raw).digest()) : undefined;
}

/**
 * The channel bindings this TLS connection supports.
 * - tls-exporter (RFC 9266 §2): TLS 1.3 only. RFC 9266 §3 allows it on TLS 1.2 only with the extended
 *   master secret, which Node does not let us confirm, so we leave it out there.
 * - tls-unique (RFC 5929 §3.1): the first Finished message of the latest handshake — the client's in
 *   a full handshake, the server's in an abbreviated (resumed) one. Not defined for TLS 1.3 (RFC 8446
 *   §C.5); on TLS 1.2 it shares the triple-handshake weakness unless the server uses extended master
 *   secret, so prefer tls-exporter / tls-server-end-point when the server offers a choice.
 * - tls-server-end-point (RFC 5929 §4): any version.
 *
 * Each value is computed when it is first read, then kept: most logins bind with one type or none
 * (no -PLUS mechanism is offered on TLS 1.3 by servers without XEP-0440), and the certificate hash
 * and the exporter are work a fresh process would otherwise do while the user waits. Read them
 * while the socket is open (SASL runs right after the handshake); a value that cannot be had then
 * reads as undefined, i.e. that binding is not available.
 */
export function channelBindings(socket: TLSSocket, cert: X509Certificate | undefined): ChannelBindings {
  const out: ChannelBindings = {};
  const protocol = socket.getProtocol();
  if (protocol === 'TLSv1.3') {
    lazy(out, 'tls-exporter', () => new Uint8Array(socket.exportKeyingMaterial(32, 'EXPORTER-Channel-Binding', Buffer.alloc(0))));
  } else if (protocol === 'TLSv1.2') {
    // Read now: cheap, and "the latest handshake" is this one.
    const finished = socket.isSessionReused() ? socket.getPeerFinished() : socket.getFinished();
    if (finished) out['tls-unique'] = new Uint8Array(finished);
  }
  if (cert) lazy(out, 'tls-server-end-point', () => tlsServerEndPoint(cert));
  return out;
}

function lazy(out: ChannelBindings, type: keyof ChannelBindings, compute: () => Uint8Array | undefined): void {
  Object.defineProperty(out, type, {
    enumerable: true,
    configurable: true,
    get() {
      let value: Uint8Array | undefined;
      try {
        value = compute();
      } catch {
        value = undefined;
      }
      Object.defineProperty(out, type, { value, enumerable: true, configurable: true, writable: false });
      return value;
    },
  });
}
