// The XML stream parser (RFC 6120 §4, §11): text in, one XmlElement per top-level stanza out.
//
// Built on saxes in non-namespace mode (namespace-aware mode allocates an object per attribute and
// per tag; we resolve the few namespaces XMPP needs ourselves, see `opentag`). Decisions:
// - Element names are kept as written: a prefixed element keeps its qualified name
//   (`stream:features`, `foo:bar`) and `ns` is the namespace its prefix is bound to. Unprefixed
//   elements get their own `xmlns` or the parent's namespace; stanzas inherit the stream's
//   default namespace (normally `jabber:client`).
// - `attrs` is the object saxes builds, which has a null prototype (so `__proto__="…"` from the
//   wire is an ordinary attribute); `xmlns`, `xmlns:p` and `xml:lang` stay in it. Elements without
//   children share one frozen empty array: the tree is read-only. Prefixes of prefixed attribute
//   names are not checked against declarations (see the constructor).
// - Restricted XML (RFC 6120 §11.1) and our limits are fatal on the first occurrence: one
//   `error` callback, then all input is ignored. A DOCTYPE or comment before the root is caught
//   at its `<!`; inside the stream, comments, DOCTYPEs and PIs are reported when saxes has read
//   them whole, and until then they are bounded by the size limit like anything else. Entity
//   references other than the five predefined ones are never expanded (saxes has no DTD support).
// - Input is text from a UTF-8 decoder (StringDecoder, TextDecoder, ws), which never yields lone
//   surrogates, so we do not pay for a scan of every chunk: saxes rejects a lone low surrogate,
//   but a lone high one (impossible from a decoder) would pass through into text. Characters
//   outside XML 1.0 `Char` (C0 controls, U+FFFE/U+FFFF) are rejected by saxes.
// - Size limit: no more than `maxStanzaBytes` characters (UTF-16 code units, counted on the
//   strings fed) between two stanza boundaries (stream open, end of a stanza, start of the next
//   tag after keepalive whitespace). It is checked when a stanza ends and after each piece of at
//   most 64 KiB fed to saxes, so a never-ending stanza is cut off after at most limit + 64 Ki
//   characters and saxes never buffers more than that (it keeps text and `&…` runs until their end).
// - Events are delivered after saxes returns from each piece, so a throwing handler cannot leave
//   saxes half-way through its state machine; the first exception a handler throws is rethrown
//   from write() once the whole chunk has been processed. Handlers may call end() (for example on
//   <proceed/>); nothing is delivered after that.
import { SaxesParser } from 'saxes';
import type { SaxesTagPlain } from 'saxes';
import { XmlElement } from './element';
import type { Attrs, XmlNode } from './element';
import { NS_STREAM } from './serialize';
import { errorText } from '../../../shared/error-text';

export { NS_STREAM };

export interface StreamParserOptions {
  /** Characters allowed between two stanza boundaries (default 8 MiB). */
  maxStanzaBytes?: number;
  /** Deepest element allowed; the stream root is depth 0, a stanza depth 1 (default 64). */
  maxDepth?: number;
}

export type StreamParserError = {
  condition: 'not-well-formed' | 'restricted-xml' | 'policy-violation' | 'invalid-namespace' | 'bad-format';
  text: string;
};

export interface StreamParserHandlers {
  /** The `<stream:stream>` open tag with all its attributes. */
  streamOpen(attrs: Record<string, string>): void;
  /** Each complete child of the stream root (stanzas, stream:features, stream:error, nonzas). */
  stanza(el: XmlElement): void;
  /** `</stream:stream>`; the parser ignores input after it. */
  streamClose(): void;
  /** The first fatal problem; nothing is emitted after it and further input is ignored. */
  error(e: StreamParserError): void;
}

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const PIECE = 64 * 1024;
// saxes messages that name restricted XML (§11.1) rather than plain ill-formedness.
const RESTRICTED = /doctype|XML declaration|processing instruction|undefined entity/i;

type SaxOptions = { xmlns: false; position: false; forceXMLVersion: true; defaultXMLVersion: '1.0' };

/**
 * What elements without children share: a parsed tree is read, not edited (frozen, so an attempt
 * to append to one fails loudly instead of changing every such element). A large roster result has
 * thousands of childless `<item/>`s, each of which had its own empty array that young-generation GC
 * copied with the tree.
 */
const NO_CHILDREN: XmlNode[] = Object.freeze([]) as unknown as XmlNode[];

/**
 * Elements start with the shared NO_CHILDREN; the first child replaces it. Most elements have zero
 * or one child, and the first push() onto an empty array allocates room for 17, so the first child
 * gets a one-element array (a few % less allocation and GC). The element is still private to the
 * parser at this point; pushes only ever go to an array that already holds a child.
 */
function setChildren(el: XmlElement, children: XmlNode[]): void {
  (el as { children: XmlNode[] }).children = children;
}

/** Thrown from inside saxes callbacks to stop it mid-chunk once we have an error. */
const STOP = new Error('stream parser stopped');

export class StreamParser {
  private sax: SaxesParser<SaxOptions> | null;
  private readonly handlers: StreamParserHandlers;
  private readonly maxSize: number;
  private readonly maxDepth: number;
  /** Open elements: [0] is the stream root (its `ns` is the default content namespace), [1] the current stanza. */
  private readonly stack: XmlElement[] = [];
  /** Characters handed to saxes so far. */
  private fed = 0;
  /** Position of the last stanza boundary. */
  private mark = 0;
  /** Position at which the last depth-1 element (or the root) was closed, to undo it when saxes objects to that very close tag. */
  private lastClose = -1;
  /** Events produced by the current piece, delivered once saxes returns. */
  private openAttrs: Attrs | null = null;
  private readonly ready: XmlElement[] = [];
  private closing = false;
  /** Still before the root element's '<' in the input (see scanProlog). */
  private prolog = true;
  private prologLt = false;
  private error: StreamParserError | null = null;
  private ended = false;
  private reported = false;
  /** Open prefixed elements below the root: while there are none, a parent's ns is the default namespace in scope. */
  private prefixedOpen = 0;
  private delivering = false;
  private thrown: { e: unknown } | null = null;

  constructor(handlers: StreamParserHandlers, opts: StreamParserOptions = {}) {
    this.handlers = handlers;
    this.maxSize = opts.maxStanzaBytes ?? 8 * 1024 * 1024;
    this.maxDepth = opts.maxDepth ?? 64;
    // RFC 6120 §11.5: XML 1.0 only, whatever the declaration says.
    const sax = new SaxesParser<SaxOptions>({ xmlns: false, position: false, forceXMLVersion: true, defaultXMLVersion: '1.0' });
    // At most 7 handlers: `on()` stores each with a keyed store, and from the 8th on V8 turns the
    // parser into a dictionary-mode object, which made saxes 3-4× slower here. So no `error` handler
    // (saxes then throws its errors, which feed() catches) and no `doctype` handler (the prolog
    // is scanned in write(); a DOCTYPE after the root start is an error in saxes itself). No
    // `attribute` handler either: a call per attribute cost ~3.5% of the parse, for checking the
    // prefixes of prefixed attributes, which mean nothing to XMPP (xml:lang aside) and which we
    // therefore keep unchecked.
    sax.on('opentag', (tag) => this.onOpenTag(tag));
    sax.on('closetag', () => this.onCloseTag());
    sax.on('text', (t) => this.onText(t));
    sax.on('cdata', (t) => this.onCData(t));
    // RFC 6120 §11.1: no comments, PIs (the leading XML declaration is saxes's `xmldecl`, not a
    // PI), DTDs, or entity references other than the predefined ones (saxes: "undefined entity").
    sax.on('comment', () => this.stop('restricted-xml', 'comment'));
    sax.on('processinginstruction', (pi) => this.stop('restricted-xml', `processing instruction <?${pi.target}`));
    this.sax = sax;
  }

  /** True once error() has been called. */
  get failed(): boolean {
    return this.reported;
  }

  write(chunk: string): void {
    if (this.sax === null || chunk.length === 0) return;
    if (this.delivering) throw new Error('StreamParser.write() called from one of its handlers');
    // A DOCTYPE or comment before the root is found by scanning: feed what precedes it, then fail.
    let end = chunk.length;
    let restricted = false;
    if (this.prolog) {
      const at = this.scanProlog(chunk);
      if (at !== -1) { end = at; restricted = true; }
    }
    for (let i = 0; i < end && this.sax !== null; i += PIECE) {
      const piece = i === 0 && end === chunk.length && end <= PIECE ? chunk : chunk.slice(i, Math.min(end, i + PIECE));
      this.feed(piece);
    }
    if (restricted && this.sax !== null) this.fail('restricted-xml', 'comment or DOCTYPE before the stream root');
    const t = this.thrown;
    if (t !== null) {
      this.thrown = null;
      throw t.e;
    }
  }

  /**
   * Before the root element only the XML declaration and whitespace may appear (RFC 6120 §11.1:
   * no DOCTYPE, no comments; saxes reports PIs itself). Returns the index of a `<!`, or -1.
   */
  private scanProlog(chunk: string): number {
    let i = 0;
    if (this.prologLt) {
      this.prologLt = false;
      const c = chunk.charCodeAt(0);
      if (c === 0x21) return 0;
      if (c !== 0x3f) { this.prolog = false; return -1; }
      i = 1;
    }
    while (true) {
      const lt = chunk.indexOf('<', i);
      if (lt === -1) return -1;
      if (lt === chunk.length - 1) { this.prologLt = true; return -1; }
      const c = chunk.charCodeAt(lt + 1);
      if (c === 0x21) return lt; // <!-- or <!DOCTYPE
      if (c !== 0x3f) { this.prolog = false; return -1; } // the root element starts here
      i = lt + 2;
    }
  }

  /** The transport has no more data: a partial stanza is dropped, nothing more is emitted. */
  end(): void {
    this.ended = true;
    this.sax = null;
    this.stack.length = 0;
    this.ready.length = 0;
  }

  private feed(piece: string): void {
    const sax = this.sax!;
    try {
      sax.write(piece);
    } catch (e) {
      if (e !== STOP) this.onSaxError(e);
    }
    this.fed += piece.length;
    if (this.error === null && this.closing === false && this.sax !== null && this.fed - this.mark > this.maxSize) {
      this.error = { condition: 'policy-violation', text: `stanza larger than ${this.maxSize} characters` };
    }
    this.deliver();
  }

  private deliver(): void {
    const h = this.handlers;
    if (this.error !== null || this.closing) this.sax = null;
    this.delivering = true;
    const attrs = this.openAttrs;
    if (attrs !== null) {
      this.openAttrs = null;
      this.call(() => h.streamOpen(attrs));
    }
    const ready = this.ready;
    for (let i = 0; i < ready.length && !this.ended; i++) {
      const el = ready[i]!;
      this.call(() => h.stanza(el));
    }
    ready.length = 0;
    if (this.closing && this.error === null && !this.ended) this.call(() => h.streamClose());
    const err = this.error;
    if (err !== null && !this.ended) {
      this.ended = true;
      this.reported = true;
      this.stack.length = 0;
      this.call(() => h.error(err));
    }
    if (this.closing) {
      this.ended = true;
      this.stack.length = 0;
    }
    this.delivering = false;
  }

  private call(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.thrown ??= { e };
    }
  }

  /** Record the first error and abort saxes (we are inside one of its callbacks). */
  private stop(condition: StreamParserError['condition'], text: string): never {
    if (!this.closing) this.error ??= { condition, text };
    throw STOP;
  }

  /** Record an error found outside saxes and deliver it. */
  private fail(condition: StreamParserError['condition'], text: string): void {
    this.error ??= { condition, text };
    this.deliver();
  }

  /** saxes threw: its well-formedness errors (it has no error handler, see the constructor). */
  private onSaxError(e: unknown): void {
    // saxes reports a mismatched close tag after it has already closed the open element: take
    // back the stanza (or stream close) that close tag produced.
    if (this.lastClose === this.sax!.position) {
      if (this.closing) this.closing = false;
      else this.ready.pop();
    } else if (this.closing) {
      return; // after </stream:stream>: ignored
    }
    const text = errorText(e);
    this.error ??= { condition: RESTRICTED.test(text) ? 'restricted-xml' : 'not-well-formed', text };
  }

  private onOpenTag(tag: SaxesTagPlain): void {
    const stack = this.stack;
    const depth = stack.length;
    const name = tag.name;
    const attrs = tag.attributes;
    if (depth === 0) return this.openStream(name, attrs);
    if (depth > this.maxDepth) this.stop('policy-violation', `elements nested deeper than ${this.maxDepth}`);
    const parent = stack[depth - 1]!;
    let ns: string | undefined;
    if (name.indexOf(':') === -1) {
      ns = attrs.xmlns;
      if (ns === undefined) ns = this.prefixedOpen === 0 ? parent.ns : this.defaultNs(depth);
    } else {
      ns = this.prefixNs(name, attrs, depth);
      this.prefixedOpen++;
    }
    const el = new XmlElement(name, attrs, NO_CHILDREN, ns);
    if (depth > 1) {
      const children = parent.children;
      if (children.length === 0) setChildren(parent, [el]);
      else children.push(el);
    }
    stack.push(el);
  }

  private openStream(name: string, attrs: Attrs): void {
    // RFC 6120 §4.8.1, §4.9.3.10: the root must be <stream> in the streams namespace. An
    // unprefixed root would put the stanzas in the streams namespace too, so a prefix is required.
    const colon = name.indexOf(':');
    if (colon === -1 || name.slice(colon + 1) !== 'stream' || attrs['xmlns:' + name.slice(0, colon)] !== NS_STREAM) {
      this.stop('invalid-namespace', `stream root <${name}> is not <stream> in ${NS_STREAM}`);
    }
    this.stack.push(new XmlElement(name, attrs, [], attrs.xmlns ?? ''));
    this.openAttrs = attrs;
    this.mark = this.sax!.position;
  }

  /** Namespace of a prefixed element name (Namespaces in XML §5: the prefix must be declared). */
  private prefixNs(name: string, attrs: Attrs, depth: number): string {
    const colon = name.indexOf(':');
    if (colon === 0 || colon === name.length - 1 || name.indexOf(':', colon + 1) !== -1) {
      this.stop('not-well-formed', `malformed qualified name <${name}>`);
    }
    const ns = this.resolve(name.slice(0, colon), attrs, depth);
    // Namespaces in XML 1.0 §3 (no undeclaring a prefix in XML 1.0), §5 (the prefix must be declared).
    if (ns === undefined || ns === '') this.stop('not-well-formed', `undeclared namespace prefix in <${name}>`);
    return ns;
  }

  /** The default namespace in scope for a child at `depth` (a prefixed parent's ns is not it). */
  private defaultNs(depth: number): string {
    for (let d = depth - 1; d > 0; d--) {
      const el = this.stack[d]!;
      const own = el.attrs.xmlns;
      if (own !== undefined) return own;
      if (el.name.indexOf(':') === -1) return el.ns;
    }
    return this.stack[0]!.ns;
  }

  private resolve(prefix: string, attrs: Attrs, depth: number): string | undefined {
    if (prefix === 'xml') return XML_NS;
    const key = 'xmlns:' + prefix;
    let ns = attrs[key];
    for (let d = depth - 1; ns === undefined && d >= 0; d--) ns = this.stack[d]!.attrs[key];
    return ns;
  }

  private onCloseTag(): void {
    const stack = this.stack;
    const el = stack.pop()!;
    const depth = stack.length;
    if (this.prefixedOpen !== 0 && depth !== 0 && el.name.indexOf(':') !== -1) this.prefixedOpen--;
    if (depth > 1) return;
    const pos = this.sax!.position;
    this.lastClose = pos;
    if (depth === 1) {
      if (pos - this.mark > this.maxSize) this.stop('policy-violation', `stanza larger than ${this.maxSize} characters`);
      this.mark = pos;
      this.ready.push(el);
    } else {
      // Not stopping saxes here: it still has to check that this was </stream:stream>.
      // Whatever follows the close is ignored (see onSaxError and stop).
      this.closing = true;
    }
  }

  private onText(t: string): void {
    const stack = this.stack;
    const depth = stack.length;
    if (depth > 1) {
      const top = stack[depth - 1]!;
      const children = top.children;
      const last = children.length - 1;
      if (last < 0) setChildren(top, [t]);
      else if (typeof children[last] === 'string') children[last] += t; // text around CDATA
      else children.push(t);
      return;
    }
    if (depth === 1) {
      // Between stanzas only whitespace (keepalives, RFC 6120 §4.6.1) may appear.
      for (let i = 0; i < t.length; i++) {
        const c = t.charCodeAt(i);
        if (c !== 0x20 && c !== 0x0a && c !== 0x09 && c !== 0x0d) this.stop('bad-format', 'character data at stream level');
      }
      this.mark = this.sax!.position - 1; // saxes reports the text when it reads the next '<'
    }
    // Before the root saxes rejects anything but whitespace itself.
  }

  private onCData(t: string): void {
    // RFC 6120 does not forbid CDATA sections; inside a stanza they are plain text.
    if (this.stack.length <= 1) this.stop('bad-format', 'CDATA at stream level');
    this.onText(t);
  }
}
