// XEP-0095 §3: the offer (XEP-0096 file profile, XEP-0020 stream-method form) and the acceptance.
import { x, type XmlElement } from '../../xml/element';
import { DATA_NS, FEATURE_NEG_NS, SI_FT_NS, SI_NS, type SiFile } from './parse';

export function buildSiOffer(to: string, sid: string, file: SiFile, methods: string[], mimeType?: string): XmlElement {
  return x(
    'iq',
    { type: 'set', to },
    x(
      'si',
      { xmlns: SI_NS, id: sid, 'mime-type': mimeType, profile: SI_FT_NS },
      x('file', { xmlns: SI_FT_NS, name: file.name, size: String(file.size), date: file.date, hash: file.md5 }, file.desc ? x('desc', {}, file.desc) : null),
      x(
        'feature',
        { xmlns: FEATURE_NEG_NS },
        x('x', { xmlns: DATA_NS, type: 'form' }, x('field', { var: 'stream-method', type: 'list-single' }, methods.map((m) => x('option', {}, x('value', {}, m))))),
      ),
    ),
  );
}

export function buildSiAccept(method: string): XmlElement {
  return x(
    'si',
    { xmlns: SI_NS },
    x('feature', { xmlns: FEATURE_NEG_NS }, x('x', { xmlns: DATA_NS, type: 'submit' }, x('field', { var: 'stream-method' }, x('value', {}, method)))),
  );
}
