// Just enough typing for the baselines the parse benchmark compares against (they ship no types).

declare module 'ltx/src/parsers/ltx.js' {
  export default class SaxLtx {
    on(event: 'startElement', fn: (name: string, attrs: Record<string, string>) => void): this;
    on(event: 'endElement', fn: (name: string, selfClosing: boolean) => void): this;
    on(event: 'text', fn: (text: string) => void): this;
    on(event: 'error', fn: (e: Error) => void): this;
    write(data: string): void;
    end(data?: string): void;
  }
}

declare module 'ltx/src/Element.js' {
  export default class Element {
    constructor(name: string, attrs?: Record<string, string>);
    name: string;
    parent: Element | null;
    children: (Element | string)[];
    attrs: Record<string, string>;
    cnode(child: Element): Element;
    t(text: string): this;
  }
}

declare module '@xmpp/xml' {
  export class Parser {
    on(event: 'start', fn: (el: unknown) => void): this;
    on(event: 'element', fn: (el: unknown) => void): this;
    on(event: 'end', fn: (el: unknown) => void): this;
    on(event: 'error', fn: (e: Error) => void): this;
    write(data: string): void;
    end(data?: string): void;
  }
}
