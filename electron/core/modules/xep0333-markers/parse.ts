// XEP-0333 chat markers in a message → plain data.
import type { XmlElement } from '../../xml/element';

export const MARKERS_NS = 'urn:xmpp:chat-markers:0';

export const isMarkable = (message: XmlElement): boolean => message.child('markable', MARKERS_NS) !== undefined;

/** The id of the message a <displayed/> marker marks (and every one before it). */
export const parseDisplayed = (message: XmlElement): string | undefined => message.child('displayed', MARKERS_NS)?.attr('id') || undefined;
