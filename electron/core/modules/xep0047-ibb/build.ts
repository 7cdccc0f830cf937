// XEP-0047 §2: the iqs of an IBB session.
import { x, type XmlElement } from '../../xml/element';
import { encodeBase64 } from '../../util/base64';
import { IBB_NS } from './parse';

export const buildOpen = (to: string, sid: string, blockSize: number): XmlElement =>
  x('iq', { type: 'set', to }, x('open', { xmlns: IBB_NS, sid, 'block-size': String(blockSize), stanza: 'iq' }));

export const buildData = (to: string, sid: string, seq: number, bytes: Uint8Array): XmlElement =>
  x('iq', { type: 'set', to }, x('data', { xmlns: IBB_NS, sid, seq: String(seq) }, encodeBase64(bytes)));

export const buildClose = (to: string, sid: string): XmlElement => x('iq', { type: 'set', to }, x('close', { xmlns: IBB_NS, sid }));
