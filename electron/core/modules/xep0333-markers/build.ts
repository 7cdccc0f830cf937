// XEP-0333 elements we send.
import { x, type XmlElement } from '../../xml/element';
import { MARKERS_NS } from './parse';

export const buildMarkable = (): XmlElement => x('markable', { xmlns: MARKERS_NS });

/** Protocol Format: the marker message holds only the marker, with the id of the message marked. */
export const buildDisplayed = (to: string, id: string, markedId: string): XmlElement =>
  x('message', { to, id, type: 'chat' }, x('displayed', { xmlns: MARKERS_NS, id: markedId }));
