// A placeholder avatar: initials on a colour picked from the JID, so the same contact always
// gets the same colour; or the contact's picture, which arrives from main as a data: URL.

const HUES = 8;

/** Up to two initials: first letters of the first two words; one character for CJK-like names. */
export function initials(name: string): string {
  const words = name
    .replace(/@.*$/, '')
    .split(/[\s._-]+/)
    .filter(Boolean);
  const first = Array.from(words[0] ?? name)[0] ?? '?';
  // Han, kana and Hangul names are read as a whole: one character says more than two.
  if (/[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]/u.test(first)) return first;
  const second = words.length > 1 ? (Array.from(words[1]!)[0] ?? '') : '';
  return (first + second).toLocaleUpperCase();
}

export function hueIndex(key: string): number {
  let h = 0;
  for (let i = 0; i < key.length; i++) h = (h * 31 + key.charCodeAt(i)) >>> 0;
  return h % HUES;
}

export interface AvatarProps {
  /** Display name the initials come from. */
  name: string;
  /** Stable key for the colour (the bare JID). */
  colorKey: string;
  size?: 'small' | 'medium' | 'large' | 'xlarge';
  /** The picture as a data: URL from main (issue 4); initials when absent. */
  src?: string;
  /** Where the picture is content (the contact card), its text alternative; otherwise decorative. */
  label?: string;
}

/** Decorative unless `label` is given: the name is always next to it in text. */
export function Avatar({ name, colorKey, size = 'medium', src, label }: AvatarProps) {
  if (src) {
    return (
      <span className={`avatar avatar--${size} avatar--image`} aria-hidden={label ? undefined : true}>
        <img src={src} alt={label ?? ''} draggable={false} />
      </span>
    );
  }
  return (
    <span className={`avatar avatar--${size} avatar--hue-${hueIndex(colorKey)}`} aria-hidden="true">
      {initials(name)}
    </span>
  );
}
