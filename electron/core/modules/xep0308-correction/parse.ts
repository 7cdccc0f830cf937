// XEP-0308 <replace/> in a message → plain data.
import type { XmlElement } from '../../xml/element';

export const CORRECTION_NS = 'urn:xmpp:message-correct:0';

/** The id of the original message a correction replaces (Business Rules: the first message's id, however often it was corrected). */
export const parseReplace = (message: XmlElement): string | undefined => message.child('replace', CORRECTION_NS)?.attr('id') || undefined;
