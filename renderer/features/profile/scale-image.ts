// Own avatar: the picked image scaled down to at most 192×192 px in the page (main has no image
// library), re-encoded as PNG (JPEG when a photo would not fit the size limit as PNG), and handed
// to main as base64. Decoding a user-picked local file in the renderer is safe here: the page has
// no network, and what goes out is freshly encoded pixels, not the original file.
import { MAX_AVATAR_PX, MAX_OWN_AVATAR_BYTES } from '../../../shared/ipc/profile-contract';

/** The size that fits within max×max keeping the aspect ratio; never enlarged; at least 1 px. */
export function fitWithin(width: number, height: number, max = MAX_AVATAR_PX): { width: number; height: number } {
  if (width <= 0 || height <= 0) return { width: 1, height: 1 };
  const scale = Math.min(1, max / width, max / height);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

export function toBase64(bytes: Uint8Array): string {
  let bin = '';
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) bin += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(bin);
}

export interface ScaledImage {
  type: 'image/png' | 'image/jpeg';
  data: string;
  width: number;
  height: number;
  /** For the preview in the dialog. */
  dataUrl: string;
}

export class ImageUnreadableError extends Error {}

async function encode(canvas: OffscreenCanvas | HTMLCanvasElement, type: 'image/png' | 'image/jpeg'): Promise<Uint8Array> {
  const blob =
    'convertToBlob' in canvas
      ? await canvas.convertToBlob(type === 'image/jpeg' ? { type, quality: 0.88 } : { type })
      : await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('encoding failed'))), type, 0.88));
  return new Uint8Array(await blob.arrayBuffer());
}

export async function scaleImage(file: Blob): Promise<ScaledImage> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new ImageUnreadableError('not an image this browser can read');
  }
  const size = fitWithin(bitmap.width, bitmap.height);
  const canvas: OffscreenCanvas | HTMLCanvasElement =
    typeof OffscreenCanvas !== 'undefined' ? new OffscreenCanvas(size.width, size.height) : Object.assign(document.createElement('canvas'), size);
  const ctx = canvas.getContext('2d') as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null;
  if (!ctx) throw new ImageUnreadableError('no 2D canvas');
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(bitmap, 0, 0, size.width, size.height);
  bitmap.close();
  let type: ScaledImage['type'] = 'image/png';
  let bytes = await encode(canvas, type);
  if (bytes.length > MAX_OWN_AVATAR_BYTES) {
    type = 'image/jpeg';
    bytes = await encode(canvas, type);
  }
  const data = toBase64(bytes);
  return { type, data, ...size, dataUrl: `data:${type};base64,${data}` };
}
