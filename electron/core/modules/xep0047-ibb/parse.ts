// XEP-0047 elements → plain data (§2.1 open, §2.2 data, §2.3 close).
import type { XmlElement } from '../../xml/element';
import { decodeBase64 } from '../../util/base64';

export const IBB_NS = 'http://jabber.org/protocol/ibb';
/** §2.1: block-size is an xs:unsignedShort. */
export const MAX_BLOCK_SIZE = 65535;
/** §2.2: seq is an xs:unsignedShort that wraps to 0 after 65535. */
export const SEQ_MODULO = 65536;

export interface IbbOpen {
  sid: string;
  blockSize: number;
  stanza: 'iq' | 'message';
}

const SID_RE = /^[\x21-\x7e]{1,128}$/;

export const validSid = (sid: string | undefined): sid is string => sid !== undefined && SID_RE.test(sid);

/** undefined when the <open/> is malformed (bad-request). */
export function parseOpen(el: XmlElement): IbbOpen | undefined {
  const sid = el.attr('sid');
  const bs = el.attr('block-size') ?? '';
  if (!validSid(sid) || !/^\d{1,6}$/.test(bs)) return undefined;
  const stanza = el.attr('stanza') ?? 'iq';
  if (stanza !== 'iq' && stanza !== 'message') return undefined;
  return { sid, blockSize: Number(bs), stanza };
}

export interface IbbData {
  sid: string;
  seq: number;
  bytes: Uint8Array;
}

/** undefined when malformed: missing sid, seq outside 0..65535, or data that is not base64. */
export function parseData(el: XmlElement): IbbData | undefined {
  const sid = el.attr('sid');
  const seqText = el.attr('seq') ?? '';
  if (!validSid(sid) || !/^\d{1,5}$/.test(seqText)) return undefined;
  const seq = Number(seqText);
  if (seq >= SEQ_MODULO) return undefined;
  // Whitespace is allowed around base64 by some senders (line-wrapped encoders).
  const text = el.text().replace(/[\s]+/g, '');
  try {
    return { sid, seq, bytes: decodeBase64(text) };
  } catch {
    return undefined;
  }
}

export const nextSeq = (seq: number): number => (seq + 1) % SEQ_MODULO;
