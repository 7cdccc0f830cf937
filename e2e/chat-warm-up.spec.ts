// Issue 5 end to end: the chat warm-up after sign-in (renderer/features/chat/warm-up.tsx) in the
// real app. The page's idle callbacks are held and run by the test, so the warm-up can be looked at
// while it is in the page: nothing of it is visible, reachable by role, focusable or asked of main,
// and it is gone once done; a conversation opened before the page was idle means no warm-up at all.
import type { BrowserContext, Page } from '@playwright/test';
import { expect, test } from '@playwright/test';
import { startProsody, type ProsodyServer } from '../test/harness/prosody';
import { contactRow, expectSignedIn, messageLog, signIn } from './fixtures/flint-ui';
import { openUser, closeUser, type User, attachLogsOnFailure } from './fixtures/users';

const DOMAIN = 'example.test';
const ALICE = `alice@${DOMAIN}`;
const BOB = `bob@${DOMAIN}`;
/** renderer/features/chat/warm-up.tsx WARM_UP_MEASURE */
const WARM_UP_MEASURE = 'flint:chat-warm-up';
/** What the warm-up must never cause: a command about its sample peer, or one a real open sends. */
const FORBIDDEN = /flint\.invalid|"history\.page"|"chat\.open"|"chat\.markDisplayed"|"chat\.setState"|"avatar\.get"/;

declare global {
  interface Window {
    /** Runs the idle callbacks requested so far; returns how many ran. */
    __runIdle?: () => number;
    /** How many times a warm-up element was added to the page. */
    __warmUpsAdded?: number;
  }
}

/** Before the app: idle callbacks wait until the test runs them; additions of the warm-up are counted. */
function holdIdleCallbacks(): void {
  const queue = new Map<number, IdleRequestCallback>();
  let next = 1;
  window.requestIdleCallback = (cb) => {
    queue.set(next, cb);
    return next++;
  };
  window.cancelIdleCallback = (id) => {
    queue.delete(id);
  };
  window.__runIdle = () => {
    const due = [...queue.values()];
    queue.clear();
    for (const cb of due) cb({ didTimeout: false, timeRemaining: () => 50 });
    return due.length;
  };
  window.__warmUpsAdded = 0;
  new MutationObserver((records) => {
    for (const r of records) for (const n of r.addedNodes) if (n instanceof Element && n.classList.contains('chat-warm-up')) window.__warmUpsAdded!++;
  }).observe(document, { childList: true, subtree: true });
}

const runIdle = (page: Page) => page.evaluate(() => window.__runIdle!());
const warmUpDone = (page: Page) => page.evaluate((name) => performance.getEntriesByName(name).length, WARM_UP_MEASURE);

/** Every command the page sends over the bridge, as sent. */
function recordCommands(page: Page): string[] {
  const sent: string[] = [];
  page.on('websocket', (ws) => ws.on('framesent', (f) => typeof f.payload === 'string' && sent.push(f.payload)));
  return sent;
}

test.describe('chat warm-up after sign-in (issue 5)', () => {
  test.describe.configure({ mode: 'serial' });
  let server: ProsodyServer;
  let alice: User;
  let second: BrowserContext | undefined;

  test.beforeAll(async ({ browser }) => {
    server = await startProsody({ domain: DOMAIN });
    await server.registerMany([{ user: 'alice', pass: 'alice-pass' }]);
    await server.writeRoster('alice', [{ jid: BOB, name: 'Bob' }]);
    alice = await openUser(browser, server);
  });

  test.afterEach(() => attachLogsOnFailure({ alice }));

  test.afterAll(async () => {
    const testInfo = test.info();
    try {
      await second?.close();
      await closeUser(alice, testInfo, 'alice');
    } finally {
      await server?.stop({ graceful: false });
    }
  });

  test('renders the conversation where nothing can see or reach it, asks main for nothing, and goes', async () => {
    const page = alice.page;
    await page.addInitScript(holdIdleCallbacks);
    const sent = recordCommands(page);
    await signIn(page, alice.app.url, { jid: ALICE, password: 'alice-pass', host: '127.0.0.1', port: server.c2sPort });
    await expect(contactRow(page, 'Bob')).toBeVisible();
    const from = sent.length;

    const warmUp = page.locator('.chat-warm-up');
    let looked = 0;
    for (let i = 0; i < 50 && (await warmUpDone(page)) === 0; i++) {
      await runIdle(page);
      if ((await warmUp.count()) === 0) continue;
      looked++;
      // In the page, laid out, but hidden from sight and from every role query.
      await expect(warmUp).toBeHidden();
      await expect(page.getByRole('log')).toHaveCount(0);
      await expect(page.getByRole('tablist')).toHaveCount(0);
      await expect(page.getByRole('tabpanel')).toHaveCount(0);
      await expect(page.getByRole('textbox', { name: 'Message', exact: true })).toHaveCount(0);
      await expect(page.getByRole('button', { name: 'Send' })).toHaveCount(0);
      // Nothing in it can take focus: the contact filter keeps it.
      await expect(page.getByRole('textbox', { name: 'Filter contacts' })).toBeFocused();
      await expect(page.locator('.chat-warm-up[inert][aria-hidden="true"]')).toHaveCount(1);
    }
    expect(await warmUpDone(page)).toBe(1);
    // Each step was seen in the page: panel and messages, round after round.
    expect(looked).toBeGreaterThanOrEqual(2);
    expect(await page.evaluate(() => window.__warmUpsAdded)).toBeGreaterThanOrEqual(1);
    await expect(warmUp).toHaveCount(0);
    expect(sent.slice(from).filter((f) => FORBIDDEN.test(f))).toEqual([]);

    // Once, per page: idle again, nothing comes back.
    const added = await page.evaluate(() => window.__warmUpsAdded);
    for (let i = 0; i < 5; i++) await runIdle(page);
    expect(await page.evaluate(() => window.__warmUpsAdded)).toBe(added);

    // The real conversation after it: one log, one message box.
    await contactRow(page, 'Bob').dblclick();
    // (An empty log has no height: attached, not "visible".)
    await expect(page.getByRole('tabpanel')).toBeVisible();
    await expect(messageLog(page, 'Bob')).toBeAttached();
    await expect(page.getByRole('log')).toHaveCount(1);
    await expect(page.getByRole('textbox', { name: 'Message', exact: true })).toHaveCount(1);
    await expect(page.getByRole('textbox', { name: 'Message', exact: true })).toBeFocused();
    await page.getByRole('button', { name: 'Close conversation with Bob' }).click();
    await expect(messageLog(page, 'Bob')).toHaveCount(0);
  });

  test('a conversation opened before the page was idle: no warm-up', async ({ browser }) => {
    // A second window on the same, signed-in app: the main view shows at once.
    second = await browser.newContext({ locale: 'en-US', viewport: { width: 1200, height: 760 } });
    const page = await second.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.addInitScript(holdIdleCallbacks);
    const sent = recordCommands(page);
    await page.goto(alice.app.url);
    await expectSignedIn(page);
    await contactRow(page, 'Bob').dblclick();
    await expect(messageLog(page, 'Bob')).toBeAttached();
    for (let i = 0; i < 20; i++) await runIdle(page);
    expect(await page.evaluate(() => window.__warmUpsAdded)).toBe(0);
    expect(await warmUpDone(page)).toBe(0);
    // Not after the conversation closes either: the first open has paid already.
    await page.getByRole('button', { name: 'Close conversation with Bob' }).click();
    for (let i = 0; i < 20; i++) await runIdle(page);
    expect(await page.evaluate(() => window.__warmUpsAdded)).toBe(0);
    expect(sent.filter((f) => /flint\.invalid/.test(f))).toEqual([]);
    expect(errors).toEqual([]);
  });
});
