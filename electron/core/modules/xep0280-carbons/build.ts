// XEP-0280 elements we send.
import { x, type XmlElement } from '../../xml/element';
import { noCopyHint } from '../xep0334-hints/build';
import { CARBONS_NS } from './parse';

/** Enabling and Disabling Carbons: addressed to our own server, so no 'to'. */
export const buildEnable = (): XmlElement => x('iq', { type: 'set' }, x('enable', { xmlns: CARBONS_NS }));

/** Avoiding Carbons for a Single Message: <private/> plus the XEP-0334 no-copy hint (servers look for either). */
export const buildPrivate = (): XmlElement[] => [x('private', { xmlns: CARBONS_NS }), noCopyHint()];
