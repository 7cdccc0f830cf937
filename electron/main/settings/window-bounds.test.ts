import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJsonFile, writeJsonFile } from './json-file';
import { DEFAULT_SIZE, MIN_SIZE, parseWindowState, restoreBounds } from './window-bounds';

const FHD = { x: 0, y: 0, width: 1920, height: 1040 }; // work area below a 40 px panel
const RIGHT = { x: 1920, y: 0, width: 2560, height: 1440 };
const LEFT_ABOVE = { x: -1280, y: -300, width: 1280, height: 1024 };

describe('restoreBounds', () => {
  it('keeps a window that is fully on a display', () => {
    expect(restoreBounds({ x: 100, y: 80, width: 900, height: 600 }, [FHD, RIGHT])).toEqual({ x: 100, y: 80, width: 900, height: 600 });
    expect(restoreBounds({ x: 2500, y: 300, width: 1200, height: 800 }, [FHD, RIGHT])).toEqual({ x: 2500, y: 300, width: 1200, height: 800 });
    expect(restoreBounds({ x: -1000, y: -200, width: 800, height: 600 }, [FHD, LEFT_ABOVE])).toEqual({ x: -1000, y: -200, width: 800, height: 600 });
  });

  it('centres on the primary display when the saved display is gone', () => {
    // Was on the right-hand monitor, which is unplugged now.
    expect(restoreBounds({ x: 2500, y: 300, width: 1200, height: 800 }, [FHD])).toEqual({ width: 1200, height: 800 });
    expect(restoreBounds({ x: -5000, y: -5000, width: 800, height: 600 }, [FHD])).toEqual({ width: 800, height: 600 });
  });

  it('pulls a partly visible window fully onto its display', () => {
    expect(restoreBounds({ x: 1700, y: 900, width: 800, height: 600 }, [FHD])).toEqual({ x: 1120, y: 440, width: 800, height: 600 });
    expect(restoreBounds({ x: -200, y: 10, width: 800, height: 600 }, [FHD])).toEqual({ x: 0, y: 10, width: 800, height: 600 });
  });

  it('a window whose title bar is above the screen is not kept there', () => {
    expect(restoreBounds({ x: 100, y: -700, width: 800, height: 720 }, [FHD])).toEqual({ width: 800, height: 720 });
  });

  it('shrinks a window larger than the display, and grows one below the minimum', () => {
    expect(restoreBounds({ x: 0, y: 0, width: 4000, height: 3000 }, [FHD])).toEqual({ x: 0, y: 0, width: 1920, height: 1040 });
    expect(restoreBounds({ x: 10, y: 10, width: 50, height: 40 }, [FHD])).toEqual({ x: 10, y: 10, width: MIN_SIZE.width, height: MIN_SIZE.height });
    const tiny = { x: 0, y: 0, width: 400, height: 300 };
    expect(restoreBounds({ x: 0, y: 0, width: 1000, height: 1000 }, [tiny])).toEqual({ x: 0, y: 0, width: 400, height: 300 });
  });

  it('without a saved state: the default size, never larger than the primary display', () => {
    expect(restoreBounds(undefined, [FHD])).toEqual(DEFAULT_SIZE);
    expect(restoreBounds(undefined, [{ x: 0, y: 0, width: 1024, height: 600 }])).toEqual({ width: 1024, height: 600 });
    expect(restoreBounds(undefined, [])).toEqual(DEFAULT_SIZE);
  });
});

describe('parseWindowState', () => {
  it('accepts a well-formed state and rounds it', () => {
    expect(parseWindowState({ bounds: { x: 1.4, y: 2.6, width: 800, height: 600 }, maximized: true })).toEqual({ bounds: { x: 1, y: 3, width: 800, height: 600 }, maximized: true });
  });

  it.each([null, 'x', 42, [], { bounds: { x: 'a', y: 0, width: 1, height: 1 } }, { bounds: { x: 0, y: 0, width: -5, height: 10 } }, { bounds: { x: Infinity, y: 0, width: 1, height: 1 } }, { maximized: 'yes' }])(
    'drops malformed %j',
    (raw) => {
      expect(parseWindowState(raw)).toEqual({});
    },
  );
});

describe('json files', () => {
  it('round-trips, and reads garbage or a missing file as undefined', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'flint-json-'));
    try {
      const f = path.join(dir, 'sub', 'state.json');
      expect(readJsonFile(f)).toBeUndefined();
      writeJsonFile(f, { a: [1, 2] });
      expect(readJsonFile(f)).toEqual({ a: [1, 2] });
      writeFileSync(f, '{"a": [1,');
      expect(readJsonFile(f)).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
