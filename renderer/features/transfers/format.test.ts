import { describe, expect, it } from 'vitest';
import { bytesToBase64, extensionOf, fileKind, formatBytes, formatRate, methodKey, needsPastedName, pastedImageName, percentOf, planChunks, splitDuration } from './format';

describe('transfer formatting', () => {
  it('formats sizes in decimal units with one decimal below ten', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1000)).toBe('1 kB');
    expect(formatBytes(1536)).toBe('1.5 kB');
    expect(formatBytes(12_345_678)).toBe('12 MB');
    expect(formatBytes(3 * 1024 ** 2)).toBe('3.1 MB');
    expect(formatBytes(999_960)).toBe('1 MB');
    expect(formatBytes(1024 ** 3)).toBe('1.1 GB');
    expect(formatBytes(5e15)).toBe('5,000 TB');
    expect(formatBytes(-5)).toBe('0 B');
    expect(formatBytes(Number.NaN)).toBe('0 B');
    expect(formatBytes(1536, 'de-DE')).toBe('1,5 kB');
    expect(formatRate(2_300_000)).toBe('2.3 MB/s');
  });

  it('splits the time left into what is worth saying', () => {
    expect(splitDuration(0)).toEqual({ unit: 's', seconds: 0 });
    expect(splitDuration(0.2)).toEqual({ unit: 's', seconds: 1 });
    expect(splitDuration(59)).toEqual({ unit: 's', seconds: 59 });
    expect(splitDuration(125)).toEqual({ unit: 'ms', minutes: 2, seconds: 5 });
    expect(splitDuration(1799)).toEqual({ unit: 'm', minutes: 30 });
    expect(splitDuration(3600)).toEqual({ unit: 'hm', hours: 1, minutes: 0 });
    expect(splitDuration(2 * 3600 + 29 * 60 + 40)).toEqual({ unit: 'hm', hours: 2, minutes: 30 });
  });

  it('computes percent done, unknown without a size', () => {
    expect(percentOf(0, 100)).toBe(0);
    expect(percentOf(999, 1000)).toBe(99);
    expect(percentOf(1000, 1000)).toBe(100);
    expect(percentOf(2000, 1000)).toBe(100);
    expect(percentOf(5, undefined)).toBeUndefined();
    expect(percentOf(0, 0)).toBe(100);
  });

  it('plans staging chunks in order, none larger than the limit, covering the file exactly', () => {
    expect(planChunks(0, 4)).toEqual([]);
    expect(planChunks(3, 4)).toEqual([{ offset: 0, end: 3 }]);
    expect(planChunks(8, 4)).toEqual([
      { offset: 0, end: 4 },
      { offset: 4, end: 8 },
    ]);
    const mib = 1024 * 1024;
    const plan = planChunks(5 * mib + 17, mib);
    expect(plan).toHaveLength(6);
    expect(plan.at(-1)).toEqual({ offset: 5 * mib, end: 5 * mib + 17 });
    for (let i = 1; i < plan.length; i++) expect(plan[i]!.offset).toBe(plan[i - 1]!.end);
    expect(() => planChunks(-1, 4)).toThrow(RangeError);
    expect(() => planChunks(10, 0)).toThrow(RangeError);
  });

  it('encodes base64 like the standard (RFC 4648 test vectors), across its 32 KiB steps', () => {
    const enc = (s: string) => bytesToBase64(new TextEncoder().encode(s));
    expect(enc('')).toBe('');
    expect(enc('f')).toBe('Zg==');
    expect(enc('fo')).toBe('Zm8=');
    expect(enc('foo')).toBe('Zm9v');
    expect(enc('foobar')).toBe('Zm9vYmFy');
    const big = new Uint8Array(100_001);
    for (let i = 0; i < big.length; i++) big[i] = (i * 7919) & 0xff;
    expect(bytesToBase64(big)).toBe(Buffer.from(big).toString('base64'));
  });

  it('names pasted screenshots by date and time, and only generic image names', () => {
    const at = new Date(2026, 10, 26, 14, 3, 59);
    expect(pastedImageName('Pasted image', 'image/png', at)).toBe('Pasted image 2026-11-26 14.03.png');
    expect(pastedImageName('Pasted image', 'image/jpeg', at)).toBe('Pasted image 2026-11-26 14.03.jpg');
    expect(pastedImageName('粘贴的图片', 'application/x-unknown', new Date(2026, 0, 5, 9, 7))).toBe('粘贴的图片 2026-01-05 09.07.png');
    expect(needsPastedName('image.png', 'image/png')).toBe(true);
    expect(needsPastedName('', 'image/png')).toBe(true);
    expect(needsPastedName('holiday.jpg', 'image/jpeg')).toBe(false);
    expect(needsPastedName('image.png', 'application/octet-stream')).toBe(false);
  });

  it('tells the kind of a file from its type, else its extension', () => {
    expect(fileKind('x', 'image/png')).toBe('image');
    expect(fileKind('report.PDF', undefined)).toBe('pdf');
    expect(fileKind('a.tar.gz', 'application/octet-stream')).toBe('archive');
    expect(fileKind('notes', undefined)).toBe('other');
    expect(fileKind('clip.webm', '')).toBe('video');
    expect(extensionOf('.bashrc')).toBe('');
    expect(extensionOf('a.')).toBe('');
    expect(extensionOf('Archive.ZIP')).toBe('zip');
  });

  it('names the method with its transport, except for HTTP upload', () => {
    expect(methodKey({})).toBeNull();
    expect(methodKey({ method: 'jingle', transport: 'socks5-direct' })).toEqual({ method: 'jingle', transport: 'socks5-direct' });
    expect(methodKey({ method: 'si', transport: 'ibb' })).toEqual({ method: 'si', transport: 'ibb' });
    expect(methodKey({ method: 'upload', transport: 'http' })).toEqual({ method: 'upload' });
    expect(methodKey({ method: 'jingle' })).toEqual({ method: 'jingle' });
  });
});
