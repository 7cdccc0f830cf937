// The parts of an X.509 certificate (RFC 5280 §4.1) that we read from DER ourselves.
import { TAG, children, ctx, decodeOid, decodeString, decodeTime, expect, readTlv, DerError } from './der';
import type { Tlv } from './der';

export const OID = {
  commonName: '2.5.4.3',
  subjectAltName: '2.5.29.17',
  /** RFC 6120 §13.7.1.4 id-on-xmppAddr */
  xmppAddr: '1.3.6.1.5.5.7.8.5',
  /** RFC 4985 id-on-dnsSRV */
  srvName: '1.3.6.1.5.5.7.8.7',
  rsassaPss: '1.2.840.113549.1.1.10',
  mgf1: '1.2.840.113549.1.1.8',
} as const;

/** RFC 5280 §4.2.1.6 GeneralName, the kinds we use; anything else is kept as 'other'. */
export type GeneralName =
  | { kind: 'dns'; value: string }
  | { kind: 'ip'; value: string }
  | { kind: 'uri'; value: string }
  | { kind: 'email'; value: string }
  | { kind: 'xmppAddr'; value: string }
  | { kind: 'srvName'; value: string }
  | { kind: 'other'; value: string };

export interface ParsedCert {
  /** The outer Certificate.signatureAlgorithm (RFC 5280 §4.1.1.2). */
  signatureAlgorithm: { oid: string; params?: Tlv };
  notBefore: Date;
  notAfter: Date;
  /** Every CN attribute value of the subject, in order. */
  commonNames: string[];
  /** undefined when the certificate has no subjectAltName extension. */
  subjectAltNames?: GeneralName[];
}

export function parseCertificate(der: Uint8Array): ParsedCert {
  const cert = children(expect(readTlv(der), TAG.SEQUENCE, 'Certificate').value);
  const tbs = children(expect(cert[0], TAG.SEQUENCE, 'TBSCertificate').value);
  const sigAlg = children(expect(cert[1], TAG.SEQUENCE, 'signatureAlgorithm').value);
  const signatureAlgorithm = { oid: decodeOid(expect(sigAlg[0], TAG.OID, 'algorithm').value), params: sigAlg[1] };

  let i = 0;
  if (tbs[i]?.tag === ctx(0, true)) i++; // version, EXPLICIT [0], absent for v1
  i += 2; // serialNumber, signature
  i++; // issuer
  const validity = children(expect(tbs[i++], TAG.SEQUENCE, 'Validity').value);
  const notBefore = decodeTime(validity[0] ?? missing('notBefore'));
  const notAfter = decodeTime(validity[1] ?? missing('notAfter'));
  const subject = expect(tbs[i++], TAG.SEQUENCE, 'subject');
  i++; // subjectPublicKeyInfo

  let subjectAltNames: GeneralName[] | undefined;
  for (; i < tbs.length; i++) {
    if (tbs[i]!.tag !== ctx(3, true)) continue; // issuerUniqueID [1], subjectUniqueID [2]
    const exts = children(expect(children(tbs[i]!.value)[0], TAG.SEQUENCE, 'Extensions').value);
    for (const ext of exts) {
      const parts = children(expect(ext, TAG.SEQUENCE, 'Extension').value);
      if (decodeOid(expect(parts[0], TAG.OID, 'extnID').value) !== OID.subjectAltName) continue;
      const octets = expect(parts[parts.length - 1], TAG.OCTET_STRING, 'extnValue');
      // RFC 5280 §4.2: a certificate MUST NOT include more than one instance of an extension.
      if (subjectAltNames) throw new DerError('duplicate subjectAltName');
      subjectAltNames = parseGeneralNames(octets.value);
    }
  }
  return { signatureAlgorithm, notBefore, notAfter, commonNames: commonNamesOf(subject), subjectAltNames };
}

function missing(what: string): never {
  throw new DerError(`missing ${what}`);
}

/** Name ::= SEQUENCE OF RelativeDistinguishedName (SET OF AttributeTypeAndValue). */
function commonNamesOf(name: Tlv): string[] {
  const out: string[] = [];
  for (const rdn of children(name.value)) {
    for (const atv of children(expect(rdn, TAG.SET, 'RDN').value)) {
      const [type, value] = children(expect(atv, TAG.SEQUENCE, 'AttributeTypeAndValue').value);
      if (decodeOid(expect(type, TAG.OID, 'attribute type').value) === OID.commonName && value) out.push(decodeString(value));
    }
  }
  return out;
}

const ascii = new TextDecoder('latin1');

function parseGeneralNames(der: Uint8Array): GeneralName[] {
  const out: GeneralName[] = [];
  for (const gn of children(expect(readTlv(der), TAG.SEQUENCE, 'GeneralNames').value)) {
    switch (gn.tag) {
      case ctx(0, true): {
        // otherName ::= SEQUENCE { type-id OID, value [0] EXPLICIT ANY } (IMPLICIT [0] on the SEQUENCE)
        const [typeId, wrapped] = children(gn.value);
        const oid = decodeOid(expect(typeId, TAG.OID, 'type-id').value);
        const inner = children(expect(wrapped, ctx(0, true), 'otherName value').value)[0];
        if (oid === OID.xmppAddr && inner?.tag === TAG.UTF8_STRING) out.push({ kind: 'xmppAddr', value: decodeString(inner) });
        else if (oid === OID.srvName && inner?.tag === TAG.IA5_STRING) out.push({ kind: 'srvName', value: decodeString(inner) });
        else out.push({ kind: 'other', value: `otherName:${oid}` });
        break;
      }
      case ctx(1, false):
        out.push({ kind: 'email', value: ascii.decode(gn.value) });
        break;
      case ctx(2, false):
        out.push({ kind: 'dns', value: ascii.decode(gn.value) });
        break;
      case ctx(6, false):
        out.push({ kind: 'uri', value: ascii.decode(gn.value) });
        break;
      case ctx(7, false):
        out.push({ kind: 'ip', value: formatIp(gn.value) });
        break;
      default:
        out.push({ kind: 'other', value: `[${gn.tag & 0x1f}]` });
    }
  }
  return out;
}

function formatIp(b: Uint8Array): string {
  if (b.length === 4) return Array.from(b).join('.');
  if (b.length === 16) {
    const groups: string[] = [];
    for (let i = 0; i < 16; i += 2) groups.push(((b[i]! << 8) | b[i + 1]!).toString(16));
    return groups.join(':'); // uncompressed; compare through net.SocketAddress-free normalisation in cert.ts
  }
  return `invalid(${b.length} bytes)`;
}
