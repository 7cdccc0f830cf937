// RFC 6121 §5.1: an outgoing message, with an XEP-0359 origin-id equal to the stanza id.
import { NS } from '../../module';
import { x, type XmlElement } from '../../xml/element';

export interface OutgoingMessage {
  to: string;
  id: string;
  type: 'chat' | 'normal';
  body: string;
  thread?: string;
}

export function buildMessage(m: OutgoingMessage): XmlElement {
  return x(
    'message',
    { type: m.type, to: m.to, id: m.id },
    x('body', {}, m.body),
    m.thread ? x('thread', {}, m.thread) : null,
    x('origin-id', { xmlns: NS.sid, id: m.id }),
  );
}
