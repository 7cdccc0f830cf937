// XEP-0095: Stream Initiation — https://xmpp.org/extensions/xep-0095.html
// with XEP-0096: SI File Transfer — https://xmpp.org/extensions/xep-0096.html
// What Spark, Psi and older clients use. An incoming offer becomes a 'file.offered' event and the
// iq stays unanswered until the user accepts (the answer names the stream method: SOCKS5
// bytestreams preferred, else IBB) or declines (§3.2: <forbidden/>, "Offer Declined").
import { defineModule, IqError, type ModuleContext } from '../../module';
import { bareJid, formatJid, tryParseJid } from '../../../../shared/jid';
import type { XmlElement } from '../../xml/element';
import { BYTESTREAMS_NS } from '../xep0065-socks5/parse';
import { IBB_NS } from '../xep0047-ibb/parse';
import { buildSiAccept, buildSiOffer } from './build';
import { parseMethods, parseSiOffer, SI_FT_NS, SI_NS, type SiFile } from './parse';

export { SI_NS, SI_FT_NS, FEATURE_NEG_NS, parseSiOffer, parseMethods, type SiFile, type SiOffer } from './parse';
export { buildSiOffer, buildSiAccept } from './build';

export const SI_MODULE = 'xep0095-si';
/** The stream methods we can use, best first. */
export const SI_METHODS = [BYTESTREAMS_NS, IBB_NS] as const;
export type SiMethod = (typeof SI_METHODS)[number];

export class SiDeclinedError extends Error {
  constructor(message = 'the contact declined the file') {
    super(message);
    this.name = 'SiDeclinedError';
  }
}

export interface SiApi {
  /**
   * Offers a file to `to` (full JID) and resolves with the stream method the receiver chose.
   * Rejects with SiDeclinedError when declined, IqError for anything else (timeout included).
   */
  offer(to: string, sid: string, file: SiFile, opts?: { mimeType?: string; methods?: SiMethod[]; timeoutMs?: number }): Promise<SiMethod>;
  /** Accepts the pending offer `sid` from `from`; returns the method chosen (the sender then opens it). */
  accept(from: string, sid: string): SiMethod;
  /** Declines the pending offer (§3.2). */
  decline(from: string, sid: string): void;
}

interface Pending {
  methods: SiMethod[];
  resolve(el: XmlElement): void;
  reject(e: IqError): void;
}

interface SiState {
  pending: Map<string, Pending>;
  emit?: ModuleContext['emit'];
}

const key = (from: string, sid: string) => `${sid}\n${from}`;

/**
 * §3 errors are <bad-request/> plus an SI condition element; the connection answers iq errors with
 * a defined condition and text only, so the SI condition travels as the text.
 */
const siError = (condition: 'bad-profile' | 'no-valid-streams'): IqError => new IqError('bad-request', 'modify', condition);

function onOffer(iq: XmlElement, ctx: ModuleContext, state: SiState): Promise<XmlElement> {
  const fromJid = tryParseJid(iq.attr('from') ?? '');
  const offer = parseSiOffer(iq.child('si', SI_NS)!);
  if (!fromJid || !fromJid.local || !offer) return Promise.reject(new IqError('bad-request', 'modify'));
  if (offer.profile !== SI_FT_NS) return Promise.reject(siError('bad-profile'));
  if (!offer.file) return Promise.reject(new IqError('bad-request', 'modify', 'the file needs a name and a size'));
  const methods = SI_METHODS.filter((m) => offer.methods.includes(m));
  if (methods.length === 0) return Promise.reject(siError('no-valid-streams'));
  const from = formatJid(fromJid);
  const k = key(from, offer.sid);
  if (state.pending.has(k)) return Promise.reject(new IqError('conflict', 'cancel'));
  return new Promise<XmlElement>((resolve, reject) => {
    state.pending.set(k, { methods: [...methods], resolve, reject });
    const f = offer.file!;
    ctx.emit({
      type: 'file.offered',
      offer: {
        method: 'si',
        sid: offer.sid,
        from,
        peer: bareJid(fromJid),
        name: f.name,
        size: f.size,
        ...(offer.mimeType ? { mediaType: offer.mimeType } : {}),
        ...(f.desc ? { desc: f.desc } : {}),
        ...(f.date ? { date: f.date } : {}),
        // The MD5 of XEP-0096 is not a hash worth checking (XEP-0300 §4).
        hashes: [],
      },
    });
  });
}

export const siModule = defineModule<SiState, SiApi>({
  name: SI_MODULE,
  features: [SI_NS, SI_FT_NS],
  init: () => ({ pending: new Map() }),
  iq: [{ type: 'set', ns: SI_NS, child: 'si', handle: onOffer }],
  offline(state) {
    for (const [k, p] of state.pending) {
      const [sid, from] = k.split('\n') as [string, string];
      p.reject(new IqError('remote-server-timeout', 'wait'));
      state.emit?.({ type: 'file.withdrawn', method: 'si', sid, from, reason: 'the connection to the server was lost' });
    }
    state.pending.clear();
  },
  api: (ctx, state) => {
    state.emit = (e) => ctx.emit(e);
    const take = (from: string, sid: string): Pending => {
      const f = tryParseJid(from);
      const k = key(f ? formatJid(f) : from, sid);
      const p = state.pending.get(k);
      if (!p) throw new Error('no such pending offer');
      state.pending.delete(k);
      return p;
    };
    return {
      async offer(to, sid, file, opts = {}) {
        const methods = opts.methods ?? [...SI_METHODS];
        let res: XmlElement;
        try {
          res = await ctx.iq(buildSiOffer(to, sid, file, methods, opts.mimeType), opts.timeoutMs ?? 300_000);
        } catch (e) {
          // §3.2: a decline is <forbidden/>; some clients answer <not-acceptable/> instead.
          if (e instanceof IqError && (e.condition === 'forbidden' || e.condition === 'not-acceptable')) throw new SiDeclinedError();
          throw e;
        }
        const chosen = parseMethods(res.child('si', SI_NS), 'submit')[0];
        const method = methods.find((m) => m === chosen);
        if (!method) throw new IqError('bad-request', 'cancel', 'the receiver chose a stream method we did not offer');
        return method;
      },
      accept(from, sid) {
        const p = take(from, sid);
        const method = p.methods[0]!;
        p.resolve(buildSiAccept(method));
        return method;
      },
      decline(from, sid) {
        take(from, sid).reject(new IqError('forbidden', 'cancel', 'Offer Declined'));
      },
    };
  },
});
