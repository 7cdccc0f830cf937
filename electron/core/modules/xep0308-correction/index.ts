// XEP-0308: Last Message Correction — https://xmpp.org/extensions/xep-0308.html
// Namespace: urn:xmpp:message-correct:0
import { defineModule } from '../../module';
import type { ChatMessage } from '../../../../shared/domain';
import { bareJid, formatJid, tryParseJid } from '../../../../shared/jid';
import type { ImApi, SendOptions } from '../rfc6121-im';
import { messageType, parseBody } from '../rfc6121-im/parse';
import { buildReplace } from './build';
import { CORRECTION_NS, parseReplace } from './parse';

export { CORRECTION_NS, parseReplace } from './parse';
export const CORRECTION_MODULE = 'xep0308-correction';

export interface CorrectionApi {
  /**
   * Sends `body` as the new text of our message `originalId` to `to` (Use Case: a new message with
   * a new id and <replace id='originalId'/>; correcting again still names the first id). Returns the
   * correction as sent; the caller applies it to the stored original. Throws JidError for an invalid `to`.
   */
  correct(to: string, originalId: string, body: string, opts?: Pick<SendOptions, 'type' | 'thread'>): ChatMessage;
}

export const correctionModule = defineModule<undefined, CorrectionApi>({
  name: CORRECTION_MODULE,
  features: [CORRECTION_NS],
  message(el, ctx) {
    const type = messageType(el);
    if (type !== 'chat' && type !== 'normal') return false; // groupchat corrections: the MUC module's
    const replaces = parseReplace(el);
    const body = parseBody(el);
    if (replaces === undefined || body === undefined) return false;
    const from = tryParseJid(el.attr('from') ?? '');
    if (!from) return false; // rfc6121-im drops it too
    // Consumed: a correction must not also show up as a new message. Whether `from` may correct
    // message `replaces` only the store can tell (see the event's comment in events.ts).
    ctx.emit({ type: 'message.corrected', peer: bareJid(from), id: replaces, body, from: formatJid(from) });
    return true;
  },
  api: (ctx) => ({
    correct(to, originalId, body, opts = {}) {
      return ctx.module<ImApi>('rfc6121-im').send(to, body, { ...opts, extensions: [buildReplace(originalId)] });
    },
  }),
});
