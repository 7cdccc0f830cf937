// XEP-0308 elements we send.
import { x, type XmlElement } from '../../xml/element';
import { CORRECTION_NS } from './parse';

export const buildReplace = (originalId: string): XmlElement => x('replace', { xmlns: CORRECTION_NS, id: originalId });
