// Generates Flint's icons: assets/icon.svg, assets/icon.png (512 px, for electron-builder and the
// window) and the tray icons assets/tray/<presence>.png (+ @2x), one colour per presence.
// Everything is drawn here with a few lines of geometry and a minimal PNG encoder, so the icons
// are reproducible and need no image tools:   node assets/make-icons.mjs
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));

// ---------------------------------------------------------------- PNG (RFC 2083), RGBA 8-bit
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
export function encodePng(width, height, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type RGBA
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0; // filter: none
    rgba.copy(raw, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

// ---------------------------------------------------------------- drawing (4×4 supersampling)
const hex = (h) => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)];

/** layers: [{ inside(x, y) in unit coordinates 0..1, color '#rrggbb' }], painted in order. */
function render(size, layers) {
  const out = Buffer.alloc(size * size * 4);
  const S = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < S; sy++) {
        for (let sx = 0; sx < S; sx++) {
          const x = (px + (sx + 0.5) / S) / size;
          const y = (py + (sy + 0.5) / S) / size;
          let c = null;
          for (const l of layers) if (l.inside(x, y)) c = l.rgb;
          if (c) {
            r += c[0];
            g += c[1];
            b += c[2];
            a += 1;
          }
        }
      }
      const i = (py * size + px) * 4;
      if (a > 0) {
        out[i] = Math.round(r / a);
        out[i + 1] = Math.round(g / a);
        out[i + 2] = Math.round(b / a);
        out[i + 3] = Math.round((a / (S * S)) * 255);
      }
    }
  }
  return encodePng(size, size, out);
}

const circle = (cx, cy, rad) => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= rad ** 2;
const ring = (cx, cy, outer, inner) => (x, y) => {
  const d = (x - cx) ** 2 + (y - cy) ** 2;
  return d <= outer ** 2 && d >= inner ** 2;
};
function roundedSquare(m, rad) {
  return (x, y) => {
    if (x < m || y < m || x > 1 - m || y > 1 - m) return false;
    const cx = Math.min(Math.max(x, m + rad), 1 - m - rad);
    const cy = Math.min(Math.max(y, m + rad), 1 - m - rad);
    return (x - cx) ** 2 + (y - cy) ** 2 <= rad ** 2;
  };
}
function polygon(points) {
  return (x, y) => {
    let inside = false;
    for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
      const [xi, yi] = points[i];
      const [xj, yj] = points[j];
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  };
}

// ---------------------------------------------------------------- the app icon: a spark on flint
const FLINT = '#2f3b52';
const SPARK = '#ffb23f';
// A four-pointed spark, slightly taller than wide, centred.
const spark = [
  [0.5, 0.16], [0.565, 0.435], [0.8, 0.5], [0.565, 0.565], [0.5, 0.84], [0.435, 0.565], [0.2, 0.5], [0.435, 0.435],
];
const small = [[0.72, 0.2], [0.74, 0.27], [0.8, 0.29], [0.74, 0.31], [0.72, 0.38], [0.7, 0.31], [0.64, 0.29], [0.7, 0.27]];

const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512" width="512" height="512">
  <title>Flint</title>
  <rect x="24" y="24" width="464" height="464" rx="104" fill="${FLINT}"/>
  <polygon fill="${SPARK}" points="${spark.map(([x, y]) => `${Math.round(x * 512)},${Math.round(y * 512)}`).join(' ')}"/>
  <polygon fill="#ffffff" points="${small.map(([x, y]) => `${Math.round(x * 512)},${Math.round(y * 512)}`).join(' ')}"/>
</svg>
`;

const appLayers = [
  { inside: roundedSquare(24 / 512, 104 / 512), rgb: hex(FLINT) },
  { inside: polygon(spark), rgb: hex(SPARK) },
  { inside: polygon(small), rgb: hex('#ffffff') },
];

// ---------------------------------------------------------------- tray: one dot per presence
export const PRESENCE_COLOURS = {
  available: '#2fb344',
  away: '#f59f00',
  xa: '#e8590c',
  dnd: '#e03131',
  offline: '#868e96',
};

function trayLayers(presence) {
  const c = PRESENCE_COLOURS[presence];
  if (presence === 'offline') return [{ inside: ring(0.5, 0.5, 0.42, 0.28), rgb: hex(c) }];
  const layers = [
    { inside: circle(0.5, 0.5, 0.44), rgb: hex('#1b1f24') }, // dark rim: visible on light and dark panels
    { inside: circle(0.5, 0.5, 0.36), rgb: hex(c) },
  ];
  if (presence === 'dnd') layers.push({ inside: (x, y) => Math.abs(y - 0.5) <= 0.07 && Math.abs(x - 0.5) <= 0.22, rgb: hex('#ffffff') });
  return layers;
}

function write(rel, data) {
  const file = join(here, rel);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, data);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  write('icon.svg', svg);
  write('icon.png', render(512, appLayers));
  for (const p of Object.keys(PRESENCE_COLOURS)) {
    write(`tray/${p}.png`, render(16, trayLayers(p)));
    write(`tray/${p}@2x.png`, render(32, trayLayers(p)));
  }
  console.log('icons written to', here);
}
