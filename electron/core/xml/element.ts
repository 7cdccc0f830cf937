// A small immutable-by-convention XML element tree: what the stream parser produces for each
// stanza and what modules build to send. Namespaces are plain `xmlns` attributes, inherited
// from the parent at parse time, so `el.ns` is always the element's namespace.

export type XmlNode = XmlElement | string;
export type Attrs = Record<string, string>;

export class XmlElement {
  // `declare`: the constructor assigns every field. Plain declarations compile (ES2022 class
  // fields) to an initializer that first defines each field as undefined — one more call and
  // four more stores per element, for each of the ~10,000 elements of a large roster result.
  declare readonly name: string;
  declare readonly attrs: Attrs;
  declare readonly children: XmlNode[];
  /** Namespace: own xmlns, or inherited from the parent when parsed. */
  declare ns: string;

  constructor(name: string, attrs: Attrs = {}, children: XmlNode[] = [], ns?: string) {
    this.name = name;
    this.attrs = attrs;
    this.children = children;
    this.ns = ns ?? attrs.xmlns ?? '';
  }

  attr(name: string): string | undefined {
    // One lookup instead of hasOwnProperty + a lookup. Attribute values are strings, and nothing a
    // plain object inherits is (built elements have Object.prototype; parsed ones a null one), so
    // this is still "own attribute or undefined".
    const v = this.attrs[name];
    return typeof v === 'string' ? v : undefined;
  }

  /** Child elements, optionally only those with this name and/or namespace. */
  elements(name?: string, ns?: string): XmlElement[] {
    const out: XmlElement[] = [];
    const children = this.children;
    for (let i = 0; i < children.length; i++) {
      const c = children[i]!;
      if (typeof c === 'string') continue;
      if (name !== undefined && c.name !== name) continue;
      if (ns !== undefined && c.ns !== ns) continue;
      out.push(c);
    }
    return out;
  }

  /** First child element with this name (and namespace, when given). */
  child(name: string, ns?: string): XmlElement | undefined {
    const children = this.children;
    for (let i = 0; i < children.length; i++) {
      const c = children[i]!;
      if (typeof c !== 'string' && c.name === name && (ns === undefined || c.ns === ns)) return c;
    }
    return undefined;
  }

  /** The first child element in namespace `ns`, whatever its name. */
  childNs(ns: string): XmlElement | undefined {
    const children = this.children;
    for (let i = 0; i < children.length; i++) {
      const c = children[i]!;
      if (typeof c !== 'string' && c.ns === ns) return c;
    }
    return undefined;
  }

  /** Concatenated text of direct text children. */
  text(): string {
    // Indexed loops here and above: called per element on large results, often while the code is
    // still cold, where for…of's iterator protocol costs several times more.
    const children = this.children;
    // The usual case: one text child (the parser merges adjacent text), returned as it is.
    if (children.length === 1) {
      const c = children[0]!;
      return typeof c === 'string' ? c : '';
    }
    let s = '';
    for (let i = 0; i < children.length; i++) {
      const c = children[i]!;
      if (typeof c === 'string') s += c;
    }
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
