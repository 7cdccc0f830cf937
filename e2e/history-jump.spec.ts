// Issue 5 end to end: a search hit far back in a long conversation (thousands of messages, more
// than the app holds in memory) opens the conversation at the hit; scrolling down from there loads
// newer messages; "Jump to latest" and sending a message go back to the newest. Alice in Chromium
// (web mode, the real main-process core, her messages in the real history store) on a real
// Prosody; Dave is a scripted second user (the Flint engine in Node). Found by role and name only.
import type { Locator, Page } from '@playwright/test';
import { expect, test } from '@playwright/test';
import { startProsody, type ProsodyServer } from '../test/harness/prosody';
import { TestAccount } from '../test/support/client';
import { contactRow, messageLog, signIn } from './fixtures/flint-ui';
import { attachLogsOnFailure, openUser, shot, type User } from './fixtures/users';

const DOMAIN = 'example.test';
const ALICE = `alice@${DOMAIN}`;
const DAVE = `dave@${DOMAIN}`;
const DAVE_NAME = 'Dave';
/** Far more than the conversation keeps in memory (MESSAGE_WINDOW 1,000) and than 40 pages of 50. */
const COUNT = 2_600;
const NEEDLE_AT = 20;
const n4 = (i: number) => String(i).padStart(4, '0');
const daveSays = (i: number) => (i === NEEDLE_AT ? `line ${n4(i)} the lighthouse keeper` : `line ${n4(i)}`);

const item = (page: Page, text: string | RegExp): Locator => messageLog(page, DAVE_NAME).getByRole('listitem').filter({ hasText: text });
const jumpButton = (page: Page) => page.getByRole('button', { name: /^Jump to latest messages/ });

test.describe('a search hit thousands of messages back (issue 5)', () => {
  test.describe.configure({ mode: 'serial' });
  let server: ProsodyServer;
  let alice: User;
  let dave: TestAccount | undefined;

  test.beforeAll(async ({ browser }) => {
    test.setTimeout(180_000);
    server = await startProsody({ domain: DOMAIN });
    await server.registerMany(['alice', 'dave'].map((user) => ({ user, pass: `${user}-pass` })));
    await server.writeRoster('alice', [{ jid: DAVE, name: DAVE_NAME }]);
    alice = await openUser(browser, server);
    await signIn(alice.page, alice.app.url, { jid: ALICE, password: 'alice-pass', host: '127.0.0.1', port: server.c2sPort });
    dave = new TestAccount({ caPem: server.caCertPem });
    await dave.login({ jid: DAVE, host: '127.0.0.1', port: server.c2sPort }, 'dave-pass');
    await dave.waitStatus('online', 30_000);
    // Alice is online: every message reaches her live and is stored by her app.
    for (let i = 1; i <= COUNT; i++) dave.service.sendChat(ALICE, daveSays(i));
    await expect(alice.page.getByRole('tab', { name: new RegExp(`^${DAVE_NAME}`) })).toBeVisible({ timeout: 30_000 });
    await alice.page.getByRole('tab', { name: new RegExp(`^${DAVE_NAME}`) }).click();
    await expect(item(alice.page, `line ${n4(COUNT)}`)).toBeVisible({ timeout: 60_000 });
  });

  test.afterEach(() => attachLogsOnFailure({ alice }));

  test.afterAll(async () => {
    await dave?.close();
    await alice?.context.close();
    await alice?.app.stop();
    await server?.stop({ graceful: false });
  });

  const openHit = async (page: Page) => {
    const box = page.getByRole('searchbox', { name: 'Search messages' });
    await box.fill('lighthouse');
    await box.press('Enter');
    const hit = page.getByRole('list', { name: 'Search results' }).getByRole('button', { name: /lighthouse/ });
    await expect(hit).toHaveCount(1);
    await hit.click();
  };

  test('choosing the hit opens the conversation at it, 2,580 messages back', async () => {
    const page = alice.page;
    // Away from the conversation first: the hit has to open it.
    await contactRow(page, DAVE_NAME).dblclick();
    await page.getByRole('button', { name: `Close conversation with ${DAVE_NAME}` }).click();
    await openHit(page);
    await expect(page.getByRole('tab', { name: new RegExp(`^${DAVE_NAME}`) })).toHaveAttribute('aria-selected', 'true');
    const target = item(page, 'the lighthouse keeper');
    await expect(target).toBeInViewport();
    await expect(target).toHaveAttribute('aria-current', 'true');
    // Its neighbours are there, the newest messages are not: this is the stretch around the hit.
    await expect(item(page, `line ${n4(NEEDLE_AT - 1)}`)).toBeAttached();
    await expect(item(page, `line ${n4(NEEDLE_AT + 1)}`)).toBeAttached();
    await expect(item(page, `line ${n4(COUNT)}`)).toHaveCount(0);
    await expect(jumpButton(page)).toBeVisible();
    await shot(page, 'search-hit-far-back');
  });

  test('scrolling down from the hit loads newer messages in order', async () => {
    const page = alice.page;
    const log = messageLog(page, DAVE_NAME);
    const newestShown = async () => Number((await log.getByRole('listitem').filter({ hasText: /line \d{4}/ }).last().textContent())!.match(/line (\d{4})/)![1]);
    const start = await newestShown();
    // Each wheel at the bottom of what is shown asks for the next page; one that lands while a page
    // is on its way does nothing, so wheel until the pages are in.
    await expect
      .poll(
        async () => {
          await log.hover();
          await page.mouse.wheel(0, 20_000);
          return newestShown();
        },
        { timeout: 30_000 },
      )
      .toBeGreaterThanOrEqual(200);
    expect(start).toBeLessThan(100);
    // No gap: every message from the hit to the newest shown is in the list, once.
    const shown = (await log.getByRole('listitem').filter({ hasText: /line \d{4}/ }).allTextContents()).map((t) => Number(t.match(/line (\d{4})/)![1]));
    const from = shown.indexOf(NEEDLE_AT);
    expect(from).toBeGreaterThanOrEqual(0);
    const run = shown.slice(from);
    expect(run).toEqual(Array.from({ length: run.length }, (_, k) => NEEDLE_AT + k));
  });

  test('Jump to latest shows the newest messages, and new ones follow again', async () => {
    const page = alice.page;
    await jumpButton(page).click();
    await expect(item(page, `line ${n4(COUNT)}`)).toBeInViewport();
    await expect(jumpButton(page)).toHaveCount(0);
    dave!.service.sendChat(ALICE, 'after the jump');
    await expect(item(page, 'after the jump')).toBeInViewport();
  });

  test('sending a message while reading far back shows it at the bottom', async () => {
    const page = alice.page;
    await openHit(page);
    await expect(item(page, 'the lighthouse keeper')).toBeInViewport();
    const composer = page.getByRole('textbox', { name: 'Message', exact: true });
    await composer.fill('back to now');
    await composer.press('Enter');
    await expect(item(page, 'back to now')).toBeInViewport();
    await expect(item(page, 'after the jump')).toBeAttached();
    await expect(jumpButton(page)).toHaveCount(0);
  });

  test('scrolled far back, a few screens are rendered; scrolling down brings the rest back in order', async () => {
    const page = alice.page;
    const log = messageLog(page, DAVE_NAME);
    const lines = async () => (await log.getByRole('listitem').filter({ hasText: /line \d{4}/ }).allTextContents()).map((t) => Number(t.match(/line (\d{4})/)![1]));
    const rendered = () => log.getByRole('listitem').count();
    // The mouse over the list without scrolling it (hover() would scroll the list to its middle).
    const box = (await log.locator('xpath=..').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + Math.min(box.height, 400) / 2);
    // Up 1,500 messages: every turn of the wheel at the top renders more held messages or asks for a page.
    await expect
      .poll(
        async () => {
          await page.mouse.wheel(0, -20_000);
          return Math.min(...(await lines()));
        },
        { timeout: 60_000 },
      )
      .toBeLessThanOrEqual(COUNT - 1_500);
    expect(await rendered()).toBeLessThanOrEqual(620);
    // One more step up, once the last asked for is in, keeps the place: the message at the top stays on screen.
    await expect(page.getByRole('status').filter({ hasText: 'Loading older messages' })).toHaveCount(0);
    let top = 0;
    await expect
      .poll(async () => {
        const was = top;
        top = Math.min(...(await lines()));
        return top === was;
      })
      .toBe(true);
    await page.mouse.wheel(0, -20_000);
    await expect.poll(async () => Math.min(...(await lines()))).toBeLessThan(top);
    await expect(item(page, `line ${n4(top)}`)).toBeInViewport();
    // Down to the newest: what comes back below (and goes above) leaves no gap and no double.
    const seen = new Set<number>();
    const from = Math.min(...(await lines()));
    await expect
      .poll(
        async () => {
          const now = await lines();
          for (const n of now) seen.add(n);
          expect(now).toEqual(Array.from({ length: now.length }, (_, k) => now[0]! + k));
          expect(now.length).toBeLessThanOrEqual(620);
          await page.mouse.wheel(0, 2_000);
          return Math.max(...now);
        },
        { timeout: 90_000, intervals: [50] },
      )
      .toBe(COUNT);
    expect(seen.size).toBe(COUNT - from + 1);
    // The last of it, and the two messages after Dave's.
    await page.mouse.wheel(0, 20_000);
    await expect(item(page, 'back to now')).toBeInViewport();
    await expect(jumpButton(page)).toHaveCount(0);
    expect(alice.errors).toEqual([]);
  });
});
