// SASLprep (RFC 4013), the stringprep (RFC 3454) profile for user names and passwords, used by
// SCRAM (RFC 5802 §5.1) and PLAIN (RFC 4616 §2).
//
// What is exact: the mapping tables (B.1, C.1.2), every prohibition table of RFC 4013 §2.3 and
// table D.1 (RandALCat) of the bidi check. What is approximated, and why:
//   - NFKC uses the runtime's Unicode version, not Unicode 3.2; the differences concern code
//     points that were unassigned in 2002.
//   - Unassigned code points (table A.1, Unicode 3.2) are approximated by \p{Cn} of the runtime's
//     Unicode version, so characters added since 3.2 (e.g. emoji) count as assigned.
//   - LCat (table D.2 is ~360 ranges) is approximated by letters, spacing marks and letter numbers
//     outside the right-to-left scripts. Missing an L code point only relaxes the bidi check.

export class SaslPrepError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SaslPrepError';
  }
}

export interface SaslPrepOptions {
  /**
   * RFC 3454 §7: "queries" may contain unassigned code points, "stored strings" may not.
   * RFC 5802 prepares the user name as a query and the password as a stored string.
   * Default: true (query).
   */
  allowUnassigned?: boolean;
  /** Names the value in error messages, e.g. "user name" or "password". */
  what?: string;
}

type Range = readonly [number, number];

// RFC 3454 B.1: commonly mapped to nothing.
const B1: readonly Range[] = [
  [0x00ad, 0x00ad], [0x034f, 0x034f], [0x1806, 0x1806], [0x180b, 0x180d], [0x200b, 0x200d],
  [0x2060, 0x2060], [0xfe00, 0xfe0f], [0xfeff, 0xfeff],
];

// RFC 3454 C.1.2: non-ASCII space characters (RFC 4013 §2.1 maps them to U+0020).
const C12: readonly Range[] = [
  [0x00a0, 0x00a0], [0x1680, 0x1680], [0x2000, 0x200b], [0x202f, 0x202f], [0x205f, 0x205f], [0x3000, 0x3000],
];

// RFC 4013 §2.3 prohibited output: C.1.2, C.2.1, C.2.2, C.3, C.4, C.5, C.6, C.7, C.8, C.9.
const PROHIBITED: readonly { range: Range; why: string }[] = [
  ...C12.map((range) => ({ range, why: 'a non-ASCII space' })),
  { range: [0x0000, 0x001f], why: 'a control character' }, // C.2.1
  { range: [0x007f, 0x007f], why: 'a control character' },
  ...([
    [0x0080, 0x009f], [0x06dd, 0x06dd], [0x070f, 0x070f], [0x180e, 0x180e], [0x200c, 0x200d],
    [0x2028, 0x2029], [0x2060, 0x2063], [0x206a, 0x206f], [0xfeff, 0xfeff], [0xfff9, 0xfffc],
    [0x1d173, 0x1d17a],
  ] as const).map((range) => ({ range, why: 'a control character' })), // C.2.2
  { range: [0xe000, 0xf8ff], why: 'a private-use character' }, // C.3
  { range: [0xf0000, 0xffffd], why: 'a private-use character' },
  { range: [0x100000, 0x10fffd], why: 'a private-use character' },
  { range: [0xfdd0, 0xfdef], why: 'a non-character code point' }, // C.4 (xFFFE/xFFFF: see isNonCharacter)
  { range: [0xd800, 0xdfff], why: 'an unpaired surrogate' }, // C.5
  { range: [0xfff9, 0xfffd], why: 'a character inappropriate for plain text' }, // C.6
  { range: [0x2ff0, 0x2ffb], why: 'an ideographic description character' }, // C.7
  ...([[0x0340, 0x0341], [0x200e, 0x200f], [0x202a, 0x202e], [0x206a, 0x206f]] as const).map((range) => ({
    range,
    why: 'a display-changing or deprecated character',
  })), // C.8
  { range: [0xe0001, 0xe0001], why: 'a tagging character' }, // C.9
  { range: [0xe0020, 0xe007f], why: 'a tagging character' },
];

// RFC 3454 D.1: characters with bidirectional property R or AL.
const RAND_AL_CAT: readonly Range[] = [
  [0x05be, 0x05be], [0x05c0, 0x05c0], [0x05c3, 0x05c3], [0x05d0, 0x05ea], [0x05f0, 0x05f4],
  [0x061b, 0x061b], [0x061f, 0x061f], [0x0621, 0x063a], [0x0640, 0x064a], [0x066d, 0x066f],
  [0x0671, 0x06d5], [0x06dd, 0x06dd], [0x06e5, 0x06e6], [0x06fa, 0x06fe], [0x0700, 0x070d],
  [0x0710, 0x0710], [0x0712, 0x072c], [0x0780, 0x07a5], [0x07b1, 0x07b1], [0x200f, 0x200f],
  [0xfb1d, 0xfb1d], [0xfb1f, 0xfb28], [0xfb2a, 0xfb36], [0xfb38, 0xfb3c], [0xfb3e, 0xfb3e],
  [0xfb40, 0xfb41], [0xfb43, 0xfb44], [0xfb46, 0xfbb1], [0xfbd3, 0xfd3d], [0xfd50, 0xfd8f],
  [0xfd92, 0xfdc7], [0xfdf0, 0xfdfc], [0xfe70, 0xfe74], [0xfe76, 0xfefc],
];

const L_CAT_APPROX = /[\p{L}\p{Mc}\p{Nl}]/u;
const RTL_SCRIPT = /[\p{Script=Hebrew}\p{Script=Arabic}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Samaritan}\p{Script=Mandaic}\p{Script=Adlam}]/u;
const UNASSIGNED = /\p{Cn}/u;
// Printable ASCII needs no mapping, normalization or checks: the fast path for most credentials.
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

function inRanges(cp: number, ranges: readonly Range[]): boolean {
  for (const [lo, hi] of ranges) if (cp >= lo && cp <= hi) return true;
  return false;
}

function isNonCharacter(cp: number): boolean {
  return (cp & 0xfffe) === 0xfffe; // U+xFFFE and U+xFFFF in every plane (RFC 3454 C.4)
}

function hex(cp: number): string {
  return 'U+' + cp.toString(16).toUpperCase().padStart(4, '0');
}

/** RFC 4013 SASLprep. Throws SaslPrepError (plain English) on prohibited or badly mixed input. */
export function saslPrep(input: string, opts: SaslPrepOptions = {}): string {
  if (PRINTABLE_ASCII.test(input)) return input;
  const what = opts.what ?? 'string';

  // §2.1 mapping. Spaces are mapped before B.1 is removed, in the order RFC 4013 lists them.
  let mapped = '';
  for (const ch of input) {
    const cp = ch.codePointAt(0) as number;
    if (inRanges(cp, C12)) mapped += ' ';
    else if (!inRanges(cp, B1)) mapped += ch;
  }

  // §2.2 normalization: Unicode form KC.
  const out = mapped.normalize('NFKC');

  let hasRandAL = false;
  let hasL = false;
  for (const ch of out) {
    const cp = ch.codePointAt(0) as number;
    // §2.3 prohibited output.
    for (const p of PROHIBITED) {
      if (cp >= p.range[0] && cp <= p.range[1]) throw new SaslPrepError(`the ${what} contains ${p.why} (${hex(cp)}), which SASLprep does not allow`);
    }
    if (isNonCharacter(cp)) throw new SaslPrepError(`the ${what} contains a non-character code point (${hex(cp)}), which SASLprep does not allow`);
    // §2.5 unassigned code points, stored strings only.
    if (opts.allowUnassigned === false && UNASSIGNED.test(ch)) {
      throw new SaslPrepError(`the ${what} contains an unassigned code point (${hex(cp)})`);
    }
    if (inRanges(cp, RAND_AL_CAT)) hasRandAL = true;
    else if (L_CAT_APPROX.test(ch) && !RTL_SCRIPT.test(ch)) hasL = true;
  }

  // §2.4 / RFC 3454 §6 bidirectional check.
  if (hasRandAL) {
    if (hasL) throw new SaslPrepError(`the ${what} mixes right-to-left and left-to-right characters`);
    const first = out.codePointAt(0) as number;
    const last = [...out].pop()?.codePointAt(0) as number;
    if (!inRanges(first, RAND_AL_CAT) || !inRanges(last, RAND_AL_CAT)) {
      throw new SaslPrepError(`the ${what} contains right-to-left text that does not start and end with a right-to-left character`);
    }
  }
  return out;
}
