import { describe, expect, it } from 'vitest';
import { parseStyling, type StyledNode } from './styling';

const t = (text: string): StyledNode => ({ type: 'text', text });
const strong = (...children: StyledNode[]): StyledNode => ({ type: 'strong', children });
const em = (...children: StyledNode[]): StyledNode => ({ type: 'emphasis', children });
const strike = (...children: StyledNode[]): StyledNode => ({ type: 'strike', children });
const code = (text: string): StyledNode => ({ type: 'code', text });
const pre = (text: string): StyledNode => ({ type: 'pre', text });
const quote = (...children: StyledNode[]): StyledNode => ({ type: 'quote', children });

/** The body's characters as the tree keeps them (no directives, fences or quote markers). */
function textOf(nodes: StyledNode[]): string {
  return nodes.map((n) => ('children' in n ? textOf(n.children) : n.text)).join('');
}

describe('XEP-0393 spans (§ Spans examples)', () => {
  it.each<[string, StyledNode[]]>([
    ['*strong*', [strong(t('strong'))]],
    ['plain *strong* plain', [t('plain '), strong(t('strong')), t(' plain')]],
    ['*strong* plain *strong*', [strong(t('strong')), t(' plain '), strong(t('strong'))]],
    ['*strong*plain*', [strong(t('strong')), t('plain*')]],
    ['* plain *strong*', [t('* plain '), strong(t('strong'))]],
  ])('styles %j', (body, tree) => {
    expect(parseStyling(body)).toEqual(tree);
  });

  it.each(['not strong*', '*not strong', '*not *strong', '**', '****'])('leaves %j unstyled', (body) => {
    expect(parseStyling(body)).toEqual([t(body)]);
  });

  it('does not let a span cross a line (*not \\n strong*)', () => {
    expect(parseStyling('*not \n strong*')).toEqual([t('*not \n strong*')]);
  });

  it('reads the Plain example as one plain and one strong span', () => {
    expect(parseStyling('Two spans, both *alike in dignity*')).toEqual([t('Two spans, both '), strong(t('alike in dignity'))]);
  });

  it('emphasis, strike through and preformatted spans (§ Emphasis, Strike through, Preformatted Span examples)', () => {
    expect(parseStyling('The full title is _Twelfth Night, or What You Will_ but\n_most_ people shorten it.')).toEqual([
      t('The full title is '),
      em(t('Twelfth Night, or What You Will')),
      t(' but\n'),
      em(t('most')),
      t(' people shorten it.'),
    ]);
    expect(parseStyling('Everyone ~dis~likes cake.')).toEqual([t('Everyone '), strike(t('dis')), t('likes cake.')]);
    expect(parseStyling('Wow, I can write in `monospace`!')).toEqual([t('Wow, I can write in '), code('monospace'), t('!')]);
  });

  it('does not style inside a preformatted span, but a preformatted span can sit inside strong (§ Preformatted Span)', () => {
    expect(parseStyling('This is `*monospace*`')).toEqual([t('This is '), code('*monospace*')]);
    expect(parseStyling('This is *`monospace and bold`*')).toEqual([t('This is '), strong(code('monospace and bold'))]);
  });

  it('nests spans of different types (Glossary: emphasized span containing a strong span)', () => {
    expect(parseStyling('_emphasized span containing *strong span*_')).toEqual([em(t('emphasized span containing '), strong(t('strong span')))]);
    expect(parseStyling('*_both_*')).toEqual([strong(em(t('both')))]);
  });

  it('needs whitespace or a line start before an opening directive (snake_case stays plain)', () => {
    expect(parseStyling('snake_case_name and 2*3*4')).toEqual([t('snake_case_name and 2*3*4')]);
  });

  it('closes lazily, at the first closing directive', () => {
    expect(parseStyling('*a* b*')).toEqual([strong(t('a')), t(' b*')]);
    expect(parseStyling('*a *b* c*')).toEqual([strong(t('a *b')), t(' c*')]);
  });

  it('treats other Unicode whitespace as whitespace (no-break space, ideographic space)', () => {
    expect(parseStyling('*\u00a0no*')).toEqual([t('*\u00a0no*')]);
    expect(parseStyling('你好\u3000*粗体*')).toEqual([t('你好\u3000'), strong(t('粗体'))]);
  });
});

describe('XEP-0393 blocks (§ Blocks examples)', () => {
  it('keeps plain lines apart: a span does not escape its line', () => {
    const body = 'There are three blocks in this body marked by parens,\nbut there is no *formatting\nas spans* may not escape blocks.';
    expect(parseStyling(body)).toEqual([t(body)]);
  });

  it('reads a preformatted block, ignoring the text after the opening fence', () => {
    expect(parseStyling('```ignored\n(println "Hello, world!")\n```\n\nThis should show up as monospace, preformatted text ⤴')).toEqual([
      pre('(println "Hello, world!")'),
      t('\nThis should show up as monospace, preformatted text ⤴'),
    ]);
  });

  it('does not style inside a preformatted block', () => {
    expect(parseStyling('```\n*not bold*\n> not a quote\n```')).toEqual([pre('*not bold*\n> not a quote')]);
  });

  it('ends an unclosed preformatted block with its parent block (No closing preformatted text sequence)', () => {
    expect(parseStyling('> ```\n> (println "Hello, world!")\n\nThe entire blockquote is a preformatted text block, but this line\nis plaintext!')).toEqual([
      quote(pre('(println "Hello, world!")')),
      t('\nThe entire blockquote is a preformatted text block, but this line\nis plaintext!'),
    ]);
  });

  it('reads a quotation and trims one leading whitespace character', () => {
    expect(parseStyling('> That that is, is.\n\nSaid the old hermit of Prague.')).toEqual([quote(t('That that is, is.')), t('\nSaid the old hermit of Prague.')]);
    expect(parseStyling('>  two spaces')).toEqual([quote(t(' two spaces'))]);
  });

  it('nests quotations', () => {
    expect(parseStyling('>> That that is, is.\n> Said the old hermit of Prague.\n\nWho?')).toEqual([
      quote(quote(t('That that is, is.')), t('Said the old hermit of Prague.')),
      t('\nWho?'),
    ]);
  });

  it('styles spans inside quotations', () => {
    expect(parseStyling('> *yes*\n> _no_')).toEqual([quote(strong(t('yes')), t('\n'), em(t('no')))]);
  });
});

describe('XEP-0393 robustness', () => {
  it('returns the empty body as nothing, and keeps markup-looking text as text', () => {
    expect(parseStyling('')).toEqual([]);
    expect(parseStyling('<img src=x onerror=alert(1)> *&amp;*')).toEqual([t('<img src=x onerror=alert(1)> '), strong(t('&amp;'))]);
  });

  it('keeps every character that is not a directive, lone surrogates included', () => {
    const body = 'a\ud800b *c\udfff* `d` ~e~ _f_\n> g\n```\nh\n```\ni';
    expect(textOf(parseStyling(body))).toBe('a\ud800b c\udfff d e fghi');
  });

  it('parses a 2 MiB line full of unmatched openers in linear-ish time', () => {
    const body = '_a '.repeat(700_000);
    const start = performance.now();
    const tree = parseStyling(body);
    expect(performance.now() - start).toBeLessThan(2_000);
    expect(tree).toEqual([t(body)]);
  });

  it('parses 2 MiB of alternating spans', () => {
    const body = '*a* _b_ '.repeat(260_000);
    const tree = parseStyling(body);
    expect(tree).toHaveLength(260_000 * 4);
    expect(tree[0]).toEqual(strong(t('a')));
    expect(tree[2]).toEqual(em(t('b')));
  });
});
