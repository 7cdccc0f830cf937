// XEP-0166 actions with the XEP-0234 description and XEP-0260 / XEP-0261 transports.
import { x, type XmlElement } from '../../xml/element';
import { buildFileMeta, type FileMeta } from './file-metadata';
import { buildHash, type FileHash } from './hashes';
import { JINGLE_FT_NS, JINGLE_IBB_NS, JINGLE_NS, JINGLE_S5B_NS } from './ns';
import type { JingleActionName, JingleReason, JingleTransport, S5bInfo } from './parse';

export interface OutgoingContent {
  creator: 'initiator' | 'responder';
  name: string;
  senders?: 'initiator' | 'responder' | 'both';
  file?: FileMeta;
  transport?: JingleTransport;
  s5bInfo?: S5bInfo;
}

export function buildTransport(t: JingleTransport): XmlElement | null {
  if (t.kind === 's5b') {
    return x(
      'transport',
      { xmlns: JINGLE_S5B_NS, sid: t.sid, mode: 'tcp', dstaddr: t.dstaddr },
      t.candidates.map((c) => x('candidate', { cid: c.cid, host: c.host, jid: c.jid, port: String(c.port), priority: String(c.priority), type: c.type })),
    );
  }
  if (t.kind === 'ibb') return x('transport', { xmlns: JINGLE_IBB_NS, sid: t.sid, 'block-size': String(t.blockSize) });
  return null;
}

export function buildS5bInfo(info: S5bInfo): XmlElement {
  const child =
    info.kind === 'candidate-used' ? x('candidate-used', { cid: info.cid })
    : info.kind === 'activated' ? x('activated', { cid: info.cid })
    : x(info.kind);
  return x('transport', { xmlns: JINGLE_S5B_NS, sid: info.sid }, child);
}

function buildDescription(file: FileMeta): XmlElement {
  const f = buildFileMeta(file, JINGLE_FT_NS);
  delete f.attrs.xmlns; // inherited from <description/>
  return x('description', { xmlns: JINGLE_FT_NS }, f);
}

function buildContent(c: OutgoingContent): XmlElement {
  return x(
    'content',
    { creator: c.creator, name: c.name, senders: c.senders },
    c.file ? buildDescription(c.file) : null,
    c.transport ? buildTransport(c.transport) : null,
    c.s5bInfo ? buildS5bInfo(c.s5bInfo) : null,
  );
}

export interface OutgoingJingle {
  to: string;
  action: JingleActionName;
  sid: string;
  initiator?: string;
  responder?: string;
  contents?: OutgoingContent[];
  reason?: { condition: JingleReason; text?: string };
  payload?: XmlElement[];
}

export function buildJingle(j: OutgoingJingle): XmlElement {
  return x(
    'iq',
    { type: 'set', to: j.to },
    x(
      'jingle',
      { xmlns: JINGLE_NS, action: j.action, sid: j.sid, initiator: j.initiator, responder: j.responder },
      (j.contents ?? []).map(buildContent),
      j.reason ? x('reason', {}, x(j.reason.condition), j.reason.text ? x('text', {}, j.reason.text) : null) : null,
      j.payload ?? [],
    ),
  );
}

/** XEP-0234 §7.1: the hash of a content, sent once it is known. */
export function buildChecksum(creator: 'initiator' | 'responder', name: string, hashes: FileHash[]): XmlElement {
  return x('checksum', { xmlns: JINGLE_FT_NS, creator, name }, x('file', {}, hashes.map(buildHash)));
}
