// XEP-0363: HTTP File Upload — https://xmpp.org/extensions/xep-0363.html
// Namespace urn:xmpp:http:upload:0. The engine's half: find the service and its limit (§3, §4 +
// XEP-0128), ask for a slot (§4) — accepted only from the service we asked, with only the headers
// §5 allows — and share the result in a message (§7: body = URL, with XEP-0066 oob and XEP-0447 /
// XEP-0446 metadata). Incoming shares become 'file.offered' events; nothing is fetched here: main
// does the HTTP (electron/main/transfers).
import { defineModule, IqError, type ModuleContext } from '../../module';
import type { ChatMessage } from '../../../../shared/domain';
import { bareJid, formatJid, tryParseJid } from '../../../../shared/jid';
import type { XmlElement } from '../../xml/element';
import type { DiscoApi, DiscoInfo } from '../xep0030-disco';
import type { ImApi } from '../rfc6121-im';
import { messageType } from '../rfc6121-im/parse';
import { OOB_NS, parseOob, parseHttpUrl } from '../xep0066-oob';
import { FILE_METADATA_NS, parseFileMeta, type FileMeta } from '../xep0234-jingle-ft/file-metadata';
import { buildSharedFileExtensions, buildSlotRequest, SFS_NS, URL_DATA_NS } from './build';
import { parseMaxFileSize, parseSlot, parseTooLarge, SlotError, UPLOAD_NS, type UploadSlot } from './parse';

export { UPLOAD_NS, parseSlot, parseMaxFileSize, type UploadSlot, type SlotHeader } from './parse';
export { buildSharedFileExtensions, SFS_NS } from './build';

export const UPLOAD_MODULE = 'xep0363-upload';
const SLOT_TIMEOUT_MS = 30_000;

export interface UploadService {
  jid: string;
  /** Bytes; undefined when the service names no limit. */
  maxFileSize?: number;
}

export type UploadErrorCode = 'no-service' | 'too-large' | 'refused' | 'bad-slot';

export class UploadError extends Error {
  constructor(
    readonly code: UploadErrorCode,
    message: string,
    /** 'too-large': the limit in bytes, when known. */
    readonly limit?: number,
  ) {
    super(message);
    this.name = 'UploadError';
  }
}

/** "file too large: limit is 100 MB" (MB = 2^20 bytes, as servers configure them). */
export function tooLargeMessage(limit: number | undefined): string {
  if (limit === undefined) return 'file too large for the upload service';
  const mb = limit / (1024 * 1024);
  const shown = Number.isInteger(mb) ? String(mb) : mb >= 10 ? String(Math.floor(mb)) : mb.toFixed(1);
  return `file too large: limit is ${shown} MB`;
}

export interface UploadApi {
  /** Our server's upload service (itself, or a disco item of it), cached for the stream; undefined when none. */
  service(): Promise<UploadService | undefined>;
  /**
   * §4: a slot for this file. Rejects with UploadError: 'no-service', 'too-large' (checked against the
   * advertised limit before asking, and from the service's <file-too-large/>), 'refused', 'bad-slot'.
   */
  requestSlot(file: { name: string; size: number; mediaType?: string }): Promise<UploadSlot>;
  /** Sends the message that shares an uploaded file with `to` (through rfc6121-im, so it is decorated like any message). */
  share(to: string, url: string, meta: FileMeta): ChatMessage;
}

interface UploadState {
  service?: Promise<UploadService | undefined>;
}

const supports = (info: DiscoInfo) => info.features.includes(UPLOAD_NS);

async function discover(ctx: ModuleContext): Promise<UploadService | undefined> {
  const disco = ctx.module<DiscoApi>('xep0030-disco');
  // §3: the server itself may offer the service; usually it is one of its items (a component).
  const own = await disco.info(ctx.domain).catch(() => undefined);
  if (own && supports(own)) return { jid: ctx.domain, maxFileSize: parseMaxFileSize(own) };
  const items = await disco.items(ctx.domain).catch(() => []);
  const infos = await Promise.all(items.filter((i) => !i.node).map((i) => disco.info(i.jid).then((info) => ({ jid: i.jid, info }), () => undefined)));
  for (const hit of infos) if (hit && supports(hit.info)) return { jid: hit.jid, maxFileSize: parseMaxFileSize(hit.info) };
  return undefined;
}

async function requestSlot(ctx: ModuleContext, state: UploadState, file: { name: string; size: number; mediaType?: string }): Promise<UploadSlot> {
  const service = await (state.service ??= discover(ctx));
  if (!service) throw new UploadError('no-service', 'your server offers no HTTP file upload');
  if (service.maxFileSize !== undefined && file.size > service.maxFileSize) {
    throw new UploadError('too-large', tooLargeMessage(service.maxFileSize), service.maxFileSize);
  }
  let res: XmlElement;
  try {
    res = await ctx.iq(buildSlotRequest(service.jid, file), SLOT_TIMEOUT_MS);
  } catch (e) {
    if (e instanceof IqError) {
      const tooLarge = parseTooLarge(e.el);
      if (tooLarge) throw new UploadError('too-large', tooLargeMessage(tooLarge.max ?? service.maxFileSize), tooLarge.max ?? service.maxFileSize);
      if (e.condition === 'not-acceptable' && service.maxFileSize !== undefined && file.size > service.maxFileSize) {
        throw new UploadError('too-large', tooLargeMessage(service.maxFileSize), service.maxFileSize);
      }
      throw new UploadError('refused', `the upload service refused the file (${e.message})`);
    }
    throw e;
  }
  // The connection matches answers by id and sender already; this keeps the rule visible and
  // holds for any transport: a slot from anyone but the service we asked is never used.
  if (res.attr('from') !== service.jid) throw new UploadError('bad-slot', 'the upload slot came from someone other than the upload service');
  try {
    return parseSlot(res.child('slot', UPLOAD_NS), service.jid);
  } catch (e) {
    if (e instanceof SlotError) throw new UploadError('bad-slot', e.message);
    throw e;
  }
}

/** The file's name when only a URL is known: its last path segment, percent-decoded when valid. */
export function nameFromUrl(url: string): string {
  const path = url.replace(/[?#].*$/, '').replace(/^https?:\/\/[^/]+/i, '');
  const last = path.split('/').filter((s) => s !== '').pop() ?? '';
  try {
    return decodeURIComponent(last) || 'file';
  } catch {
    return last || 'file';
  }
}

/** A shared file in an incoming message: XEP-0447 <file-sharing/> (with XEP-0446 metadata), a bare XEP-0446 <file/>, XEP-0066 oob. */
function readShare(el: XmlElement): { url: string; meta: FileMeta } | undefined {
  const sfs = el.child('file-sharing', SFS_NS);
  const metaEl = sfs?.child('file', FILE_METADATA_NS) ?? el.child('file', FILE_METADATA_NS);
  const meta = metaEl ? parseFileMeta(metaEl) : { hashes: [] };
  const sfsUrl = sfs?.child('sources', SFS_NS)?.elements('url-data', URL_DATA_NS).map((u) => parseHttpUrl(u.attr('target'))).find((u) => u !== undefined);
  const url = sfsUrl ?? parseOob(el)?.url;
  return url ? { url, meta } : undefined;
}

function onMessage(el: XmlElement, ctx: ModuleContext): void {
  const type = messageType(el);
  if (type !== 'chat' && type !== 'normal') return;
  const from = tryParseJid(el.attr('from') ?? '');
  if (!from || !from.local) return;
  const share = readShare(el);
  if (!share) return;
  const body = el.childText('body')?.trim();
  ctx.emit({
    type: 'file.offered',
    offer: {
      method: 'upload',
      sid: el.attr('id') || ctx.id(),
      from: formatJid(from),
      peer: bareJid(from),
      name: share.meta.name ?? nameFromUrl(share.url),
      ...(share.meta.size !== undefined ? { size: share.meta.size } : {}),
      ...(share.meta.mediaType ? { mediaType: share.meta.mediaType } : {}),
      ...(share.meta.desc ? { desc: share.meta.desc } : {}),
      ...(share.meta.date ? { date: share.meta.date } : {}),
      hashes: share.meta.hashes,
      url: share.url,
      ...(body && body !== share.url ? { body } : {}),
    },
  });
}

export const uploadModule = defineModule<UploadState, UploadApi>({
  name: UPLOAD_MODULE,
  // We read links shared with XEP-0066 and XEP-0447 (so senders may use them with us).
  features: [OOB_NS, SFS_NS],
  init: () => ({}),
  offline(state) {
    state.service = undefined;
  },
  // Reads shares without consuming them: rfc6121-im still stores the message (its body is the URL).
  message(el, ctx) {
    onMessage(el, ctx);
    return false;
  },
  api: (ctx, state) => ({
    service: () => (state.service ??= discover(ctx)),
    requestSlot: (file) => requestSlot(ctx, state, file),
    share(to, url, meta) {
      return ctx.module<ImApi>('rfc6121-im').send(to, url, { extensions: buildSharedFileExtensions(url, meta) });
    },
  }),
});
