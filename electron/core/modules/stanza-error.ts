// Stanza errors (RFC 6120 §8.3): reading <error/> children of iq/message/presence and building them.
// Shared by the modules (message errors) and the test context (iq errors); plain functions, no state.
import { NS, IqError } from '../module';
import { x, type XmlElement } from '../xml/element';

export interface StanzaError {
  /** The defined condition (RFC 6120 §8.3.3), 'undefined-condition' when none is given. */
  condition: string;
  /** cancel | continue | modify | auth | wait (RFC 6120 §8.3.2); 'cancel' when missing or unknown. */
  type: string;
  text?: string;
}

const ERROR_TYPES = new Set(['auth', 'cancel', 'continue', 'modify', 'wait']);

/** Reads the <error/> child of a stanza of type 'error'; undefined when there is none. */
export function parseStanzaError(stanza: XmlElement): StanzaError | undefined {
  const error = stanza.child('error');
  if (!error) return undefined;
  const conditionEl = error.elements(undefined, NS.stanzas).find((c) => c.name !== 'text');
  const type = error.attr('type') ?? '';
  const text = error.child('text', NS.stanzas)?.text().trim();
  return {
    condition: conditionEl?.name ?? 'undefined-condition',
    type: ERROR_TYPES.has(type) ? type : 'cancel',
    ...(text ? { text } : {}),
  };
}

/** An IqError for an error iq received from the wire (carries the element, unlike a local timeout). */
export function iqErrorFrom(iq: XmlElement): IqError {
  const e = parseStanzaError(iq) ?? { condition: 'undefined-condition', type: 'cancel' };
  return new IqError(e.condition, e.type, e.text, iq);
}

/** "service-unavailable" → "Service unavailable", with the server's text after a colon when present. */
export function describeStanzaError(e: StanzaError): string {
  const words = e.condition.replace(/-/g, ' ');
  const head = words.charAt(0).toUpperCase() + words.slice(1);
  return e.text ? `${head}: ${e.text}` : head;
}

/** The <error/> element to answer with (RFC 6120 §8.3.2). */
export function buildStanzaError(condition: string, type: string, text?: string): XmlElement {
  return x(
    'error',
    { type },
    x(condition, { xmlns: NS.stanzas }),
    text ? x('text', { xmlns: NS.stanzas }, text) : null,
  );
}
