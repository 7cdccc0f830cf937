import { describe, expect, it } from 'vitest';
import { fitWithin, toBase64 } from './scale-image';

describe('own avatar scaling', () => {
  it('fits within 192×192 keeping the aspect ratio, never enlarging', () => {
    expect(fitWithin(1920, 1080)).toEqual({ width: 192, height: 108 });
    expect(fitWithin(300, 1200)).toEqual({ width: 48, height: 192 });
    expect(fitWithin(100, 50)).toEqual({ width: 100, height: 50 });
    expect(fitWithin(192, 192)).toEqual({ width: 192, height: 192 });
    expect(fitWithin(10_000, 1)).toEqual({ width: 192, height: 1 });
    expect(fitWithin(0, 0)).toEqual({ width: 1, height: 1 });
  });

  it('encodes bytes as base64 (large inputs in chunks)', () => {
    expect(toBase64(new Uint8Array([0x89, 0x50, 0x4e, 0x47]))).toBe('iVBORw==');
    const big = new Uint8Array(100_000).map((_, i) => i % 251);
    expect(toBase64(big)).toBe(Buffer.from(big).toString('base64'));
  });
});
