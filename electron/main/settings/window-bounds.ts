// Restoring the window where the user left it — unless that place is no longer on any screen
// (a monitor was unplugged, the resolution changed). Pure: the Electron glue
// (electron/main/electron/window-state.ts) passes in the displays' work areas.

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  bounds?: Rect;
  maximized?: boolean;
}

export const DEFAULT_SIZE = { width: 1100, height: 720 } as const;
export const MIN_SIZE = { width: 480, height: 360 } as const;
/** How much of the window's top edge (where the title bar is) must be on a screen to keep its place. */
const GRAB_STRIP = { width: 100, height: 32 };

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** A saved state read from disk: anything malformed is dropped, not trusted. */
export function parseWindowState(raw: unknown): WindowState {
  if (typeof raw !== 'object' || raw === null) return {};
  const r = raw as Record<string, unknown>;
  const out: WindowState = {};
  const b = r.bounds as Record<string, unknown> | undefined;
  if (b && isNum(b.x) && isNum(b.y) && isNum(b.width) && isNum(b.height) && b.width > 0 && b.height > 0) {
    out.bounds = { x: Math.round(b.x), y: Math.round(b.y), width: Math.round(b.width), height: Math.round(b.height) };
  }
  if (r.maximized === true) out.maximized = true;
  return out;
}

function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, v));
}

/**
 * Bounds to open the window with. `workAreas[0]` is the primary display. Returns only a size
 * (the window is then centred by Electron) when there is no usable saved position.
 */
export function restoreBounds(saved: Rect | undefined, workAreas: readonly Rect[]): Rect | { width: number; height: number } {
  const primary = workAreas[0];
  if (!primary) return saved ? { width: saved.width, height: saved.height } : { ...DEFAULT_SIZE };
  if (!saved) return { width: Math.min(DEFAULT_SIZE.width, primary.width), height: Math.min(DEFAULT_SIZE.height, primary.height) };

  // The title-bar strip must be reachable on some display, else the user could not move the window back.
  const strip: Rect = { x: saved.x, y: saved.y, width: Math.min(saved.width, GRAB_STRIP.width * 3), height: GRAB_STRIP.height };
  let best: Rect | undefined;
  let bestArea = 0;
  for (const area of workAreas) {
    const a = overlap(strip, area);
    if (a > bestArea) {
      best = area;
      bestArea = a;
    }
  }
  const visible = best !== undefined && bestArea >= Math.min(GRAB_STRIP.width, strip.width) * Math.min(GRAB_STRIP.height, strip.height) / 2;
  const target = visible ? best! : primary;
  const width = clamp(saved.width, Math.min(MIN_SIZE.width, target.width), target.width);
  const height = clamp(saved.height, Math.min(MIN_SIZE.height, target.height), target.height);
  if (!visible) return { width, height };
  return {
    x: clamp(saved.x, target.x, target.x + target.width - width),
    y: clamp(saved.y, target.y, target.y + target.height - height),
    width,
    height,
  };
}
