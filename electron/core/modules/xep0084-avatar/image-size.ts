// Width and height from an image's header (PNG IHDR, GIF logical screen, JPEG SOFn), which
// XEP-0084 §4.2.1 metadata carries. The core has no image library: this reads headers only;
// scaling to at most 192 px is done in main before the bytes get here.

export interface ImageSize {
  type: string;
  width: number;
  height: number;
}

const be16 = (b: Uint8Array, i: number) => ((b[i] ?? 0) << 8) | (b[i + 1] ?? 0);
const be32 = (b: Uint8Array, i: number) => be16(b, i) * 65536 + be16(b, i + 2);

export function imageSize(b: Uint8Array): ImageSize | undefined {
  // PNG: signature, then the IHDR chunk: length(4) "IHDR" width(4) height(4).
  if (b.length >= 24 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 && b[12] === 0x49 && b[13] === 0x48 && b[14] === 0x44 && b[15] === 0x52) {
    return { type: 'image/png', width: be32(b, 16), height: be32(b, 20) };
  }
  // GIF87a/89a: little-endian width and height after the 6-byte signature.
  if (b.length >= 10 && b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x38) {
    return { type: 'image/gif', width: b[6]! | (b[7]! << 8), height: b[8]! | (b[9]! << 8) };
  }
  // JPEG: walk the marker segments to the first start-of-frame (SOF0–SOF15 except DHT/JPG/DAC).
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8) {
    let i = 2;
    while (i + 9 < b.length) {
      if (b[i] !== 0xff) return undefined;
      const marker = b[i + 1]!;
      if (marker === 0xff) {
        i++; // fill byte
        continue;
      }
      const len = be16(b, i + 2);
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { type: 'image/jpeg', height: be16(b, i + 5), width: be16(b, i + 7) };
      }
      if (len < 2) return undefined;
      i += 2 + len;
    }
  }
  return undefined;
}
