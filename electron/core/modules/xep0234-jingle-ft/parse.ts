// XEP-0166 <jingle/> with the XEP-0234 application and XEP-0260 / XEP-0261 transports → plain data.
import { formatJid, tryParseJid } from '../../../../shared/jid';
import type { XmlElement } from '../../xml/element';
import { validHost } from '../xep0065-socks5/parse';
import { validSid } from '../xep0047-ibb/parse';
import { parseFileMeta, type FileMeta } from './file-metadata';
import { parseHashes, type FileHash } from './hashes';
import { JINGLE_FT_NS, JINGLE_IBB_NS, JINGLE_NS, JINGLE_S5B_NS } from './ns';

/** XEP-0166 §7.2 actions this implementation knows. */
export const JINGLE_ACTIONS = [
  'session-initiate', 'session-accept', 'session-info', 'session-terminate',
  'transport-info', 'transport-replace', 'transport-accept', 'transport-reject',
  'content-add', 'content-accept', 'content-modify', 'content-reject', 'content-remove',
  'description-info', 'security-info',
] as const;
export type JingleActionName = (typeof JINGLE_ACTIONS)[number];

/** XEP-0166 §7.4 reason conditions. */
export const JINGLE_REASONS = [
  'alternative-session', 'busy', 'cancel', 'connectivity-error', 'decline', 'expired', 'failed-application',
  'failed-transport', 'general-error', 'gone', 'incompatible-parameters', 'media-error', 'security-error',
  'success', 'timeout', 'unsupported-applications', 'unsupported-transports',
] as const;
export type JingleReason = (typeof JINGLE_REASONS)[number];

export type CandidateType = 'direct' | 'proxy' | 'assisted' | 'tunnel';

/** XEP-0260 §2.2 */
export interface S5bCandidate {
  cid: string;
  host: string;
  port: number;
  jid: string;
  priority: number;
  type: CandidateType;
}

export type JingleTransport =
  | { kind: 's5b'; sid: string; dstaddr?: string; candidates: S5bCandidate[] }
  | { kind: 'ibb'; sid: string; blockSize: number }
  | { kind: 'unknown'; ns: string };

/** XEP-0260 §2.3–2.5: what a transport-info says about the SOCKS5 negotiation. */
export type S5bInfo =
  | { kind: 'candidate-used'; sid: string; cid: string }
  | { kind: 'candidate-error'; sid: string }
  | { kind: 'activated'; sid: string; cid: string }
  | { kind: 'proxy-error'; sid: string };

export interface JingleContent {
  creator: 'initiator' | 'responder';
  name: string;
  senders: 'initiator' | 'responder' | 'both' | 'none';
  /** XEP-0234 <file/>, when the description is file transfer. */
  file?: FileMeta;
  /** The description's namespace ('' when none). */
  descriptionNs: string;
  transport?: JingleTransport;
  s5bInfo?: S5bInfo;
}

export interface JingleAction {
  action: JingleActionName;
  sid: string;
  initiator?: string;
  responder?: string;
  contents: JingleContent[];
  reason?: { condition: JingleReason | 'unknown'; text?: string };
  /** session-info: XEP-0234 §7.1 checksum (hashes of the content named), §7.2 received. */
  checksum?: { name: string; hashes: FileHash[] };
  received?: { name: string };
}

const CID_RE = /^[\x21-\x7e]{1,64}$/;
const MAX_CANDIDATES = 8;

function parseCandidate(el: XmlElement): S5bCandidate | undefined {
  const cid = el.attr('cid');
  const jid = tryParseJid(el.attr('jid') ?? '');
  const host = (el.attr('host') ?? '').trim();
  const port = Number(el.attr('port') ?? '1080');
  const priority = Number(el.attr('priority') ?? '');
  const type = (el.attr('type') ?? 'direct') as CandidateType;
  if (!cid || !CID_RE.test(cid) || !jid || !validHost(host)) return undefined;
  if (!Number.isInteger(port) || port < 1 || port > 65535) return undefined;
  if (!Number.isInteger(priority) || priority < 0 || priority > 0xffffffff) return undefined;
  if (!['direct', 'proxy', 'assisted', 'tunnel'].includes(type)) return undefined;
  return { cid, host, port, jid: formatJid(jid), priority, type };
}

function parseTransport(el: XmlElement): { transport?: JingleTransport; info?: S5bInfo } {
  const sid = el.attr('sid') ?? '';
  if (el.ns === JINGLE_S5B_NS) {
    if (!validSid(sid)) return {};
    const used = el.child('candidate-used', JINGLE_S5B_NS)?.attr('cid');
    if (used !== undefined) return CID_RE.test(used) ? { info: { kind: 'candidate-used', sid, cid: used } } : {};
    if (el.child('candidate-error', JINGLE_S5B_NS)) return { info: { kind: 'candidate-error', sid } };
    const activated = el.child('activated', JINGLE_S5B_NS)?.attr('cid');
    if (activated !== undefined) return CID_RE.test(activated) ? { info: { kind: 'activated', sid, cid: activated } } : {};
    if (el.child('proxy-error', JINGLE_S5B_NS)) return { info: { kind: 'proxy-error', sid } };
    if ((el.attr('mode') ?? 'tcp') !== 'tcp') return { transport: { kind: 'unknown', ns: `${JINGLE_S5B_NS}#udp` } };
    const candidates: S5bCandidate[] = [];
    for (const c of el.elements('candidate', JINGLE_S5B_NS)) {
      const cand = parseCandidate(c);
      if (cand && !candidates.some((o) => o.cid === cand.cid)) candidates.push(cand);
      if (candidates.length >= MAX_CANDIDATES) break;
    }
    const dstaddr = el.attr('dstaddr');
    return { transport: { kind: 's5b', sid, ...(dstaddr && /^[0-9a-f]{40}$/i.test(dstaddr) ? { dstaddr: dstaddr.toLowerCase() } : {}), candidates } };
  }
  if (el.ns === JINGLE_IBB_NS) {
    const bs = Number(el.attr('block-size') ?? '4096');
    if (!validSid(sid) || !Number.isInteger(bs) || bs < 1 || bs > 65535) return {};
    return { transport: { kind: 'ibb', sid, blockSize: bs } };
  }
  return { transport: { kind: 'unknown', ns: el.ns } };
}

const ROLE = (v: string | undefined, dflt: 'initiator' | 'responder') => (v === 'initiator' || v === 'responder' ? v : dflt);

function parseContent(el: XmlElement): JingleContent | undefined {
  const name = el.attr('name');
  if (!name || name.length > 256) return undefined;
  const senders = el.attr('senders') ?? 'both';
  const content: JingleContent = {
    creator: ROLE(el.attr('creator'), 'initiator'),
    name,
    senders: senders === 'initiator' || senders === 'responder' || senders === 'none' ? senders : 'both',
    descriptionNs: '',
  };
  const desc = el.child('description');
  if (desc) {
    content.descriptionNs = desc.ns;
    const file = desc.ns === JINGLE_FT_NS ? desc.child('file', JINGLE_FT_NS) : undefined;
    if (file) content.file = parseFileMeta(file);
  }
  const transportEl = el.child('transport');
  if (transportEl) {
    const t = parseTransport(transportEl);
    if (t.transport) content.transport = t.transport;
    if (t.info) content.s5bInfo = t.info;
  }
  return content;
}

/** undefined when the element is not a usable <jingle/> (no action we know, no sid). */
export function parseJingle(jingle: XmlElement): JingleAction | undefined {
  const action = jingle.attr('action') as JingleActionName;
  const sid = jingle.attr('sid');
  if (!JINGLE_ACTIONS.includes(action) || !validSid(sid)) return undefined;
  const out: JingleAction = { action, sid, contents: [] };
  const initiator = tryParseJid(jingle.attr('initiator') ?? '');
  if (initiator) out.initiator = formatJid(initiator);
  const responder = tryParseJid(jingle.attr('responder') ?? '');
  if (responder) out.responder = formatJid(responder);
  for (const c of jingle.elements('content', JINGLE_NS)) {
    const content = parseContent(c);
    if (content) out.contents.push(content);
  }
  const reason = jingle.child('reason', JINGLE_NS);
  if (reason) {
    const cond = reason.elements(undefined, JINGLE_NS).find((e) => e.name !== 'text')?.name ?? '';
    const text = reason.childText('text', JINGLE_NS)?.trim().slice(0, 1024);
    out.reason = { condition: (JINGLE_REASONS as readonly string[]).includes(cond) ? (cond as JingleReason) : 'unknown', ...(text ? { text } : {}) };
  }
  const checksum = jingle.child('checksum', JINGLE_FT_NS);
  if (checksum) out.checksum = { name: checksum.attr('name') ?? '', hashes: parseHashes(checksum.child('file', JINGLE_FT_NS)) };
  const received = jingle.child('received', JINGLE_FT_NS);
  if (received) out.received = { name: received.attr('name') ?? '' };
  return out;
}
