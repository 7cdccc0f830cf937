// XEP-0393: Message Styling — https://xmpp.org/extensions/xep-0393.html
// A message body → a tree of plain data the renderer turns into React elements (never HTML), so a
// body can style text but never inject markup. Blocks first (§ Blocks: preformatted ``` … ```,
// quotations '>', plain lines), then the spans inside each plain line (§ Spans: *strong*,
// _emphasis_, ~strike~, `code`). Directive characters are left out of the tree; every other
// character of the body is kept, in order.

export type StyledNode =
  | { type: 'text'; text: string }
  | { type: 'strong' | 'emphasis' | 'strike'; children: StyledNode[] }
  /** Preformatted span: its text is never styled further. */
  | { type: 'code'; text: string }
  /** Preformatted block: the lines between the fences, as written. */
  | { type: 'pre'; text: string }
  | { type: 'quote'; children: StyledNode[] };

const SPAN_TYPES = { '*': 'strong', _: 'emphasis', '~': 'strike' } as const;
type SpanDirective = keyof typeof SPAN_TYPES | '`';
const isDirective = (ch: string | undefined): ch is SpanDirective => ch === '*' || ch === '_' || ch === '~' || ch === '`';

// Glossary: "Whitespace character": White_Space property or general category Z.
const WHITESPACE = /[\p{White_Space}\p{Z}]/u;
function isSpace(ch: string | undefined): boolean {
  if (ch === undefined) return false;
  const c = ch.charCodeAt(0);
  // ASCII fast path: U+0009–U+000D and U+0020 are its only whitespace.
  if (c < 0x80) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  return WHITESPACE.test(ch);
}

/** Appends nodes, merging adjacent text so the renderer gets one node per run of plain text. */
class NodeList {
  readonly nodes: StyledNode[] = [];
  text(s: string): void {
    if (s === '') return;
    const last = this.nodes[this.nodes.length - 1];
    if (last?.type === 'text') last.text += s;
    else this.nodes.push({ type: 'text', text: s });
  }
  push(n: StyledNode): void {
    this.nodes.push(n);
  }
}

export function parseStyling(body: string): StyledNode[] {
  const out = new NodeList();
  parseBlocks(body.split('\n'), out);
  return out.nodes;
}

const FENCE = '```';

function parseBlocks(lines: string[], out: NodeList): void {
  let afterPlainLine = false;
  for (let i = 0; i < lines.length; ) {
    const line = lines[i]!;
    if (line.startsWith(FENCE)) {
      // Preformatted Text: from a line starting with ``` (the rest of that line is ignored) to a
      // line of exactly ``` or the end of the parent block.
      let end = i + 1;
      while (end < lines.length && lines[end] !== FENCE) end++;
      out.push({ type: 'pre', text: lines.slice(i + 1, end).join('\n') });
      i = end + 1;
      afterPlainLine = false;
    } else if (line.startsWith('>')) {
      // Quotations: consecutive '>' lines; each loses the '>' and then one leading whitespace
      // character, and what remains is parsed as blocks again (quotes nest).
      const inner: string[] = [];
      for (; i < lines.length && lines[i]!.startsWith('>'); i++) {
        const rest = lines[i]!.slice(1);
        inner.push(isSpace(rest[0]) ? rest.slice(1) : rest);
      }
      const quote = new NodeList();
      parseBlocks(inner, quote);
      out.push({ type: 'quote', children: quote.nodes });
      afterPlainLine = false;
    } else {
      // A block node stands on its own lines, so only newlines between plain lines are kept.
      if (afterPlainLine) out.text('\n');
      parseLine(line, out);
      afterPlainLine = true;
      i++;
    }
  }
}

/** Positions where each directive could close a span: not at the line start, not after whitespace. */
type Closers = Record<SpanDirective, number[]>;

function parseLine(line: string, out: NodeList): void {
  const closers: Closers = { '*': [], _: [], '~': [], '`': [] };
  for (let p = 1; p < line.length; p++) {
    const ch = line[p];
    if (isDirective(ch) && !isSpace(line[p - 1])) closers[ch].push(p);
  }
  parseSpans(line, 0, line.length, closers, '', out);
}

/**
 * Spans: an opening directive sits at the line start, after whitespace, or right after a
 * different opening directive, and is not followed by whitespace; the span closes at the first
 * (lazy) same directive that is not preceded by whitespace and leaves some text between the two.
 * A span never holds one of its own type, so `enclosing` lists the directives already open.
 */
function parseSpans(line: string, from: number, to: number, closers: Closers, enclosing: string, out: NodeList): void {
  let textStart = from;
  for (let i = from; i < to; i++) {
    const ch = line[i];
    if (!isDirective(ch) || enclosing.includes(ch) || !opensAt(line, i, to)) continue;
    const close = closerFor(line, closers[ch], i, to);
    if (close < 0) continue;
    out.text(line.slice(textStart, i));
    if (ch === '`') {
      out.push({ type: 'code', text: line.slice(i + 1, close) });
    } else {
      const inner = new NodeList();
      parseSpans(line, i + 1, close, closers, enclosing + ch, inner);
      out.push({ type: SPAN_TYPES[ch], children: inner.nodes });
    }
    textStart = close + 1;
    i = close;
  }
  out.text(line.slice(textStart, to));
}

function opensAt(line: string, i: number, to: number): boolean {
  const ch = line[i];
  if (i + 1 >= to || isSpace(line[i + 1])) return false;
  if (i === 0 || isSpace(line[i - 1])) return true;
  // "after a different opening styling directive" (0.2.1): e.g. *`bold code`*.
  const prev = line[i - 1];
  return isDirective(prev) && prev !== ch && (i - 1 === 0 || isSpace(line[i - 2]) || isDirective(line[i - 2]));
}

/** The first usable closer after the opener at `open`, before `to`; -1 when there is none. */
function closerFor(line: string, positions: number[], open: number, to: number): number {
  const ch = line[open];
  // "Some text between": not empty, and not only more of the same directive (** and **** stay plain).
  let firstText = open + 1;
  while (firstText < to && line[firstText] === ch) firstText++;
  const min = Math.max(open + 2, firstText + 1);
  // Binary search: the closers are sorted, and a line can be megabytes long.
  let lo = 0;
  let hi = positions.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (positions[mid]! < min) lo = mid + 1;
    else hi = mid;
  }
  const p = positions[lo];
  return p !== undefined && p < to ? p : -1;
}
