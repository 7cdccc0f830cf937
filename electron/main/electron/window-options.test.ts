import { describe, expect, it } from 'vitest';
import { RENDERER_CSP, navigationAllowed, permissionAllowed } from './policy';
import { windowOptions } from './window-options';

const APP = 'file:///opt/Flint/resources/app.asar/dist/renderer/index.html';

describe('windowOptions', () => {
  const o = windowOptions('/app/dist/preload/index.cjs', { x: 10, y: 20, width: 900, height: 700 });
  const wp = o.webPreferences!;

  it('isolates and sandboxes the renderer', () => {
    expect(wp.preload).toBe('/app/dist/preload/index.cjs');
    expect(wp.contextIsolation).toBe(true);
    expect(wp.sandbox).toBe(true);
    expect(wp.nodeIntegration).toBe(false);
    expect(wp.nodeIntegrationInWorker).toBe(false);
    expect(wp.nodeIntegrationInSubFrames).toBe(false);
    expect(wp.webSecurity).toBe(true);
    expect(wp.allowRunningInsecureContent).toBe(false);
    expect(wp.webviewTag).toBe(false);
    expect(wp.experimentalFeatures).toBe(false);
    expect(wp.enableBlinkFeatures).toBe('');
    expect(wp.navigateOnDragDrop).toBe(false);
    expect(wp.spellcheck).toBe(true);
  });

  it('has DevTools only when asked (development builds)', () => {
    expect(wp.devTools).toBe(false);
    expect(windowOptions('/p', undefined, { devTools: true }).webPreferences!.devTools).toBe(true);
  });

  it('uses the restored bounds, a minimum size, and shows only when ready', () => {
    expect(o).toMatchObject({ x: 10, y: 20, width: 900, height: 700, show: false, title: 'Flint' });
    expect(o.minWidth).toBeGreaterThan(0);
    const centred = windowOptions('/p', { width: 800, height: 600 });
    expect('x' in centred).toBe(false);
  });
});

describe('policy', () => {
  it('grants notifications to our page only, and nothing else', () => {
    expect(permissionAllowed('notifications', APP, APP)).toBe(true);
    expect(permissionAllowed('notifications', 'https://evil.example/', APP)).toBe(false);
    for (const p of ['media', 'geolocation', 'clipboard-read', 'openExternal', 'fullscreen', 'midiSysex', 'hid', 'usb', 'serial', 'unknown']) {
      expect(permissionAllowed(p, APP, APP)).toBe(false);
    }
  });

  it('allows navigation only to our own document', () => {
    expect(navigationAllowed(APP, APP)).toBe(true);
    expect(navigationAllowed('https://example.org/', APP)).toBe(false);
    expect(navigationAllowed('file:///home/u/Downloads/dropped.html', APP)).toBe(false);
    expect(navigationAllowed('javascript:alert(1)', APP)).toBe(false);
  });

  it('the renderer CSP forbids the network, inline script and plugins', () => {
    const directives = new Map(RENDERER_CSP.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k!, v.join(' ')]));
    expect(directives.get('default-src')).toBe("'none'");
    expect(directives.get('script-src')).toBe("'self'");
    expect(directives.get('connect-src')).toBe("'none'");
    expect(directives.get('base-uri')).toBe("'none'");
    expect(RENDERER_CSP).not.toMatch(/unsafe-(inline|eval)|\*/);
  });
});
