// Plain-data helpers for the transfer UI (pure: tested without a DOM). Sizes are decimal (kB =
// 1000 B, as GNOME and macOS count), numbers in the user's locale; unit symbols stay as they are
// in every language.
import type { TransferInfo } from '../../../shared/transfer';

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB'] as const;
const numberFormats = new Map<string, Intl.NumberFormat>();

function numberFormat(locale: string, digits: number): Intl.NumberFormat {
  const key = `${locale}|${digits}`;
  let f = numberFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: 0 });
    numberFormats.set(key, f);
  }
  return f;
}

/** "0 B", "999 B", "1.5 kB", "12 MB", "3.4 GB": one decimal below 10 of a unit, none above. */
export function formatBytes(bytes: number, locale = 'en'): string {
  if (!Number.isFinite(bytes) || bytes < 0) bytes = 0;
  let unit = 0;
  let value = bytes;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  // 999.96 kB would print as "1000 kB": move up a unit instead.
  if (unit > 0 && unit < UNITS.length - 1 && Number(value.toFixed(value < 10 ? 1 : 0)) >= 1000) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || value >= 10 ? 0 : 1;
  return `${numberFormat(locale, digits).format(value)} ${UNITS[unit]}`;
}

/** "2.3 MB/s". */
export const formatRate = (bytesPerSecond: number, locale = 'en'): string => `${formatBytes(bytesPerSecond, locale)}/s`;

/** Time left split for display: hours only above an hour, seconds only below ten minutes. */
export type Duration = { unit: 'hm'; hours: number; minutes: number } | { unit: 'ms'; minutes: number; seconds: number } | { unit: 'm'; minutes: number } | { unit: 's'; seconds: number };

export function splitDuration(totalSeconds: number): Duration {
  const s = Math.max(0, Math.ceil(totalSeconds));
  if (s < 60) return { unit: 's', seconds: s };
  if (s < 600) return { unit: 'ms', minutes: Math.floor(s / 60), seconds: s % 60 };
  if (s < 3600) return { unit: 'm', minutes: Math.round(s / 60) };
  const minutes = Math.round(s / 60);
  return { unit: 'hm', hours: Math.floor(minutes / 60), minutes: minutes % 60 };
}

/** Percent done (0–100, whole), or undefined when the size is unknown. */
export function percentOf(bytes: number, size: number | undefined): number | undefined {
  if (size === undefined || size <= 0) return size === 0 ? 100 : undefined;
  return Math.min(100, Math.max(0, Math.floor((bytes / size) * 100)));
}

/** A slice of a file to stage: [offset, end). */
export interface ChunkRange {
  offset: number;
  end: number;
}

/** The slices a file of `size` bytes is staged in, in order, each at most `chunk` bytes. */
export function planChunks(size: number, chunk: number): ChunkRange[] {
  if (!Number.isInteger(size) || size < 0) throw new RangeError(`bad file size ${size}`);
  if (!Number.isInteger(chunk) || chunk <= 0) throw new RangeError(`bad chunk size ${chunk}`);
  const out: ChunkRange[] = [];
  for (let offset = 0; offset < size; offset += chunk) out.push({ offset, end: Math.min(size, offset + chunk) });
  return out;
}

/**
 * Base64 of bytes: Uint8Array.prototype.toBase64 where the engine has it (Chromium ≥ 140), else btoa
 * over a binary string built 32 KiB at a time (fromCharCode.apply: spreading the slice is ~4x slower).
 */
export function bytesToBase64(bytes: Uint8Array): string {
  const native = (bytes as Uint8Array & { toBase64?: () => string }).toBase64;
  if (typeof native === 'function') return native.call(bytes);
  const STEP = 0x8000;
  let binary = '';
  for (let i = 0; i < bytes.length; i += STEP) binary += String.fromCharCode.apply(null, bytes.subarray(i, i + STEP) as unknown as number[]);
  return btoa(binary);
}

const IMAGE_EXT: Readonly<Record<string, string>> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/bmp': 'bmp',
  'image/avif': 'avif',
  'image/tiff': 'tiff',
  'image/svg+xml': 'svg',
};

const two = (n: number) => String(n).padStart(2, '0');

/**
 * The name a pasted image is sent under: "Pasted image 2026-11-26 14.03.png" (local time; dots,
 * not colons, in the time, since a colon is not allowed in Windows file names).
 */
export function pastedImageName(prefix: string, mediaType: string, at: Date): string {
  const ext = IMAGE_EXT[mediaType.toLowerCase()] ?? 'png';
  const date = `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())} ${two(at.getHours())}.${two(at.getMinutes())}`;
  return `${prefix} ${date}.${ext}`;
}

/**
 * Whether a pasted file should get a made-up name: screenshots and images copied from a page come
 * with a generic name ("image.png") or none; a file copied in a file manager keeps its own.
 */
export function needsPastedName(name: string, mediaType: string): boolean {
  if (!mediaType.toLowerCase().startsWith('image/')) return false;
  return name === '' || /^image\.[a-z0-9]+$/i.test(name);
}

export type FileKind = 'image' | 'video' | 'audio' | 'pdf' | 'archive' | 'text' | 'document' | 'spreadsheet' | 'presentation' | 'other';

const KIND_BY_EXT: Readonly<Record<string, FileKind>> = {
  pdf: 'pdf',
  zip: 'archive', '7z': 'archive', rar: 'archive', gz: 'archive', tgz: 'archive', xz: 'archive', bz2: 'archive', tar: 'archive', zst: 'archive',
  txt: 'text', md: 'text', csv: 'text', log: 'text', json: 'text', xml: 'text',
  doc: 'document', docx: 'document', odt: 'document', rtf: 'document', pages: 'document',
  xls: 'spreadsheet', xlsx: 'spreadsheet', ods: 'spreadsheet', numbers: 'spreadsheet',
  ppt: 'presentation', pptx: 'presentation', odp: 'presentation', key: 'presentation',
  png: 'image', jpg: 'image', jpeg: 'image', gif: 'image', webp: 'image', bmp: 'image', heic: 'image', avif: 'image', svg: 'image', tif: 'image', tiff: 'image',
  mp4: 'video', mkv: 'video', webm: 'video', mov: 'video', avi: 'video',
  mp3: 'audio', ogg: 'audio', opus: 'audio', flac: 'audio', wav: 'audio', m4a: 'audio',
};

/** The extension of a file name, lower case, without the dot ('' when there is none). */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot <= 0 || dot === name.length - 1 ? '' : name.slice(dot + 1).toLowerCase();
}

/** What kind of file this is, from its media type, else its extension. */
export function fileKind(name: string, mediaType: string | undefined): FileKind {
  const mt = (mediaType ?? '').toLowerCase();
  if (mt.startsWith('image/')) return 'image';
  if (mt.startsWith('video/')) return 'video';
  if (mt.startsWith('audio/')) return 'audio';
  if (mt === 'application/pdf') return 'pdf';
  if (mt.startsWith('text/')) return 'text';
  return KIND_BY_EXT[extensionOf(name)] ?? 'other';
}

/** What the i18n layer needs to say how a transfer was carried ("via Jingle (SOCKS5 direct)"). */
export function methodKey(t: Pick<TransferInfo, 'method' | 'transport'>): { method: 'upload' | 'jingle' | 'si'; transport?: NonNullable<TransferInfo['transport']> } | null {
  if (!t.method) return null;
  // HTTP upload has one transport; naming it twice would only add noise.
  if (t.method === 'upload' || !t.transport) return { method: t.method };
  return { method: t.method, transport: t.transport };
}
