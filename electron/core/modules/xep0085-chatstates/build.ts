// XEP-0085 elements we send.
import { x, type XmlElement } from '../../xml/element';
import type { ChatState } from '../../events';
import { CHATSTATES_NS } from './parse';

export const buildChatState = (state: ChatState): XmlElement => x(state, { xmlns: CHATSTATES_NS });

/** Business Rules, Syntax of Notifications: a standalone notification carries nothing but the chat state. */
export const buildStandaloneState = (to: string, id: string, state: ChatState): XmlElement =>
  x('message', { type: 'chat', to, id }, buildChatState(state));
