// XEP-0085 chat state notifications in a message → plain data.
import type { XmlElement } from '../../xml/element';
import { CHAT_STATES, type ChatState } from '../../events';

export const CHATSTATES_NS = 'http://jabber.org/protocol/chatstates';

const STATES = new Set<string>(CHAT_STATES);

/** Business Rules, Syntax of Notifications: at most one chat state child; the first known one counts. */
export function parseChatState(message: XmlElement): ChatState | undefined {
  for (const el of message.elements(undefined, CHATSTATES_NS)) if (STATES.has(el.name)) return el.name as ChatState;
  return undefined;
}
