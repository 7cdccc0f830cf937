// A small immutable-by-convention XML element tree: what the stream parser produces for each
// stanza and what modules build to send. Namespaces are plain `xmlns` attributes, inherited
// from the parent at parse time, so `el.ns` is always the element's namespace.

export type XmlNode = XmlElement | string;
export type Attrs = Record<string, string>;

export class XmlElement {
  readonly name: string;
  readonly attrs: Attrs;
  readonly children: XmlNode[];
  /** Namespace: own xmlns, or inherited from the parent when parsed. */
  ns: string;

  constructor(name: string, attrs: Attrs = {}, children: XmlNode[] = [], ns?: string) {
    this.name = name;
    this.attrs = attrs;
    this.children = children;
    this.ns = ns ?? attrs.xmlns ?? '';
  }

  attr(name: string): string | undefined {
    return Object.prototype.hasOwnProperty.call(this.attrs, name) ? this.attrs[name] : undefined;
  }

  /** Child elements, optionally only those with this name and/or namespace. */
  elements(name?: string, ns?: string): XmlElement[] {
    const out: XmlElement[] = [];
    for (const c of this.children) {
      if (typeof c === 'string') continue;
      if (name !== undefined && c.name !== name) continue;
      if (ns !== undefined && c.ns !== ns) continue;
      out.push(c);
    }
    return out;
  }

  /** First child element with this name (and namespace, when given). */
  child(name: string, ns?: string): XmlElement | undefined {
    for (const c of this.children) {
      if (typeof c !== 'string' && c.name === name && (ns === undefined || c.ns === ns)) return c;
    }
    return undefined;
  }

  /** The first child element in namespace `ns`, whatever its name. */
  childNs(ns: string): XmlElement | undefined {
    for (const c of this.children) if (typeof c !== 'string' && c.ns === ns) return c;
    return undefined;
  }

  /** Concatenated text of direct text children. */
  text(): string {
    let s = '';
    for (const c of this.children) if (typeof c === 'string') s += c;
    return s;
  }

  /** Text of the first child element with this name, or undefined when absent. */
  childText(name: string, ns?: string): string | undefined {
    return this.child(name, ns)?.text();
  }

  /** Append a child (builder style); returns the child when it is an element. */
  append<T extends XmlNode>(child: T): T {
    this.children.push(child);
    return child;
  }
}

/** Builder: x('message', { to, type: 'chat' }, x('body', {}, 'hi')). Skips null/undefined/false children. */
export function x(name: string, attrs: Record<string, string | number | undefined | null> = {}, ...children: (XmlNode | null | undefined | false | XmlNode[])[]): XmlElement {
  const clean: Attrs = {};
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) clean[k] = String(v);
  const kids: XmlNode[] = [];
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) kids.push(...c);
    else kids.push(c);
  }
  const el = new XmlElement(name, clean, kids);
  // Children built without an xmlns inherit the namespace of the parent (as on the wire).
  for (const k of kids) if (typeof k !== 'string' && !('xmlns' in k.attrs) && k.ns === '') inheritNs(k, el.ns);
  return el;
}

function inheritNs(el: XmlElement, ns: string): void {
  el.ns = ns;
  for (const c of el.children) if (typeof c !== 'string' && !('xmlns' in c.attrs)) inheritNs(c, ns);
}
