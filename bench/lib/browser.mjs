// What the browser benchmarks share (roster-scale, receive-flood, history/open-browser, web-start):
// the run's raised priority, Debian's Chromium with the flags they all use (given the run's
// priority once its processes exist), Flint in web mode on a free port, and its login form.
import os from 'node:os';
import { chromium } from 'playwright-core';

/** The in-page helpers every bench's instrument() uses (page-probes.js): page.addInitScript({ path: PAGE_PROBES }) before it. */
export const PAGE_PROBES = new URL('./page-probes.js', import.meta.url).pathname;

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/**
 * nice -10 when allowed (root): Prosody and Flint, started later, inherit it, and Chromium's
 * processes are given it (reniceChromium). Returns the priority the run has.
 */
export function raisePriority() {
  try {
    os.setPriority(-10);
  } catch {
    /* not permitted: run at normal priority */
  }
  return os.getPriority();
}

/**
 * Debian's Chromium (FLINT_CHROMIUM to use another) through playwright-core. reniceChromium()
 * gives every Chromium process (zygote-spawned renderers start at nice 0) the run's priority and
 * returns how many it reached.
 */
export async function launchChromium({ priority = os.getPriority(), extraArgs = [] } = {}) {
  const browser = await chromium.launch({ executablePath: process.env.FLINT_CHROMIUM ?? '/usr/bin/chromium', args: [...CHROMIUM_ARGS, ...extraArgs] });
  const browserCdp = await browser.newBrowserCDPSession();
  async function reniceChromium() {
    if (priority >= 0) return 0;
    const { processInfo } = await browserCdp.send('SystemInfo.getProcessInfo');
    let n = 0;
    for (const { id } of processInfo) {
      try {
        if (os.getPriority(id) > priority) os.setPriority(id, priority);
        n++;
      } catch {
        /* gone meanwhile */
      }
    }
    return n;
  }
  return { browser, browserCdp, reniceChromium };
}

/** The URL a starting `web.cjs` prints ("Flint web: URL"); rejects if it exits first. */
export function webUrl(child) {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /Flint web: (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`web exited ${code}`)));
  });
}

/**
 * Fills Flint's login form for an account on a local test server (Advanced: server 127.0.0.1, the
 * port, the resource); the caller clicks 'Sign in' (some start measuring first).
 */
export async function fillLogin(page, { jid, password, port, resource }) {
  await page.getByRole('textbox', { name: 'Jabber ID' }).fill(jid);
  await page.getByRole('textbox', { name: 'Password' }).fill(password);
  await page.getByRole('button', { name: 'Advanced' }).click();
  await page.getByRole('textbox', { name: 'Server' }).fill('127.0.0.1');
  await page.getByRole('textbox', { name: 'Port' }).fill(String(port));
  await page.getByRole('textbox', { name: 'Resource' }).fill(resource);
}
