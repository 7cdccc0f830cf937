// RFC 6121 §5: Exchanging Messages — https://www.rfc-editor.org/rfc/rfc6121#section-5
// Namespace jabber:client; with XEP-0203 delay (urn:xmpp:delay) and XEP-0359 ids (urn:xmpp:sid:0).
import { defineModule, type ModuleContext } from '../../module';
import type { XmlElement } from '../../xml/element';
import type { ChatMessage } from '../../../../shared/domain';
import { bareJid, formatJid, parseJid, tryParseJid } from '../../../../shared/jid';
import { describeStanzaError, parseStanzaError } from '../stanza-error';
import { buildMessage } from './build';
import { messageTimestamp, messageType, ownStanzaId, parseBody, parseSubject, parseThread } from './parse';

export const IM_MODULE = 'rfc6121-im';

export interface SendOptions {
  type?: 'chat' | 'normal';
  thread?: string;
  /** Use this id (e.g. when re-sending a queued message); a fresh one otherwise. */
  id?: string;
  /** More payload for this one message, e.g. XEP-0308 <replace/> or XEP-0280 <private/> + <no-copy/>. */
  extensions?: XmlElement[];
}

export interface ImApi {
  /** Sends a message and returns it as stored: state 'sent', timestamp now. Throws JidError for an invalid `to`. */
  send(to: string, body: string, opts?: SendOptions): ChatMessage;
}

/**
 * The API of a module that adds payload to every message send() builds (XEP-0184 <request/>,
 * XEP-0085 <active/>, XEP-0333 <markable/>), so im needs to know nothing about those specs.
 */
export interface OutgoingMessageDecorator {
  decorateOutgoing(el: XmlElement, message: ChatMessage): void;
}

export interface ImOptions {
  /** Names of modules whose API is an OutgoingMessageDecorator, asked in this order for each outgoing message. */
  decorators?: string[];
}

/** RFC 6120 §8.3: an error reply carries the id of the stanza it answers — our message's id. */
function handleError(el: XmlElement, ctx: ModuleContext): void {
  const id = el.attr('id');
  if (!id) {
    ctx.log.debug('message error without id ignored');
    return;
  }
  const from = tryParseJid(el.attr('from') ?? '');
  const error = describeStanzaError(parseStanzaError(el) ?? { condition: 'undefined-condition', type: 'cancel' });
  ctx.emit({ type: 'message.updated', id, peer: from ? bareJid(from) : '', state: 'error', error });
}

function handleMessage(el: XmlElement, ctx: ModuleContext): boolean {
  const type = messageType(el);
  if (type === 'error') {
    handleError(el, ctx);
    return true;
  }
  // groupchat (XEP-0045) and headline are for other modules.
  if (type !== 'chat' && type !== 'normal') return false;
  const body = parseBody(el);
  if (body === undefined) return false; // chat states, receipts, …: not ours
  const fromAttr = el.attr('from');
  if (fromAttr === undefined) {
    // RFC 6120 §8.1.2.1: no 'from' means our own account's server said it; there is no
    // conversation to put a body from it in.
    ctx.log.info('message without from ignored', { id: el.attr('id') });
    return false;
  }
  const from = tryParseJid(fromAttr);
  if (!from) {
    ctx.log.debug('message with an invalid from ignored', { from: fromAttr });
    return true;
  }
  const now = ctx.clock.now();
  const message: ChatMessage = {
    id: el.attr('id') || ctx.id(),
    peer: bareJid(from),
    from: formatJid(from),
    to: el.attr('to') ?? ctx.jid,
    direction: 'in',
    type,
    body,
    timestamp: messageTimestamp(el, now),
    state: 'delivered',
  };
  const thread = parseThread(el);
  if (thread !== undefined) message.thread = thread;
  const subject = parseSubject(el);
  if (subject !== undefined) message.subject = subject;
  const stanzaId = ownStanzaId(el, ctx.bareJid);
  if (stanzaId !== undefined) message.stanzaId = stanzaId;
  ctx.emit({ type: 'message.received', message });
  return true;
}

function decorate(ctx: ModuleContext, names: string[], el: XmlElement, message: ChatMessage): void {
  for (const name of names) {
    let decorator: OutgoingMessageDecorator;
    try {
      decorator = ctx.module<OutgoingMessageDecorator>(name);
    } catch {
      continue; // not registered for this account: its payload is simply left out
    }
    try {
      decorator.decorateOutgoing(el, message);
    } catch (e) {
      // A decorator's bug must not cost the user their message.
      ctx.log.warn('outgoing message decorator failed', { module: name, error: String(e) });
    }
  }
}

export function createImModule(opts: ImOptions = {}) {
  const decorators = opts.decorators ?? [];
  return defineModule<undefined, ImApi>({
    name: IM_MODULE,
    message: (el, ctx) => handleMessage(el, ctx),
    api: (ctx) => ({
      send(to, body, sendOpts = {}) {
        const toJid = parseJid(to);
        const id = sendOpts.id ?? ctx.id();
        const type = sendOpts.type ?? 'chat';
        const toStr = formatJid(toJid);
        const message: ChatMessage = {
          id,
          peer: bareJid(toJid),
          from: ctx.jid,
          to: toStr,
          direction: 'out',
          type,
          body,
          timestamp: ctx.clock.now(),
          state: 'sent',
        };
        if (sendOpts.thread) message.thread = sendOpts.thread;
        const el = buildMessage({ to: toStr, id, type, body, ...(sendOpts.thread ? { thread: sendOpts.thread } : {}) });
        for (const ext of sendOpts.extensions ?? []) el.append(ext);
        decorate(ctx, decorators, el, message);
        ctx.send(el);
        return message;
      },
    }),
  });
}

/** IM without outgoing decorators (defaultModules wires the decorating one). */
export const imModule = createImModule();
