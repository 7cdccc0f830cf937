// Issue 5 end to end: two Flint users in Chromium (web mode, the real main-process core) on a real
// Prosody, plus a scripted third user (the Flint engine in Node) who fills the archive. Typing,
// delivery and "Seen", styling, correction on both sides, scroll-back, search in English and
// Chinese opening the conversation at the hit, the offline queue across a server outage and
// across an app restart. Every element is found by role and accessible name.
import fs from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from '@playwright/test';
import { startProsody, type ProsodyServer } from '../test/harness/prosody';
import { removeTempDir } from '../test/harness/process';
import { TestAccount } from '../test/support/client';
import { contactRow, messageLog, signIn } from './fixtures/flint-ui';
import { shot, openUser, type User, attachLogsOnFailure } from './fixtures/users';

const DOMAIN = 'example.test';
const ALICE = `alice@${DOMAIN}`;
const BOB = `bob@${DOMAIN}`;
const CAROL = `carol@${DOMAIN}`;
const CAROL_NAME = 'Carol';
const HISTORY = 130;
const n3 = (i: number) => String(i).padStart(3, '0');
/** Carol's numbered messages; two carry the words searched for. */
const carolSays = (i: number) => (i === 5 ? `history ${n3(i)} zebrafish` : i === 7 ? `history ${n3(i)} 我们的数据库很快` : `history ${n3(i)}`);

const composer = (page: Page) => page.getByRole('textbox', { name: 'Message', exact: true });
const item = (page: Page, peer: string, text: string | RegExp) => messageLog(page, peer).getByRole('listitem').filter({ hasText: text });

test.describe('conversations (issue 5)', () => {
  test.describe.configure({ mode: 'serial' });
  let server: ProsodyServer;
  let alice: User;
  let bob: User;
  let aliceProfile: string | undefined;

  test.beforeAll(async ({ browser }) => {
    test.setTimeout(120_000);
    server = await startProsody({ domain: DOMAIN });
    await server.registerMany(['alice', 'bob', 'carol'].map((user) => ({ user, pass: `${user}-pass` })));
    await server.writeRoster('alice', [{ jid: BOB }, { jid: CAROL, name: CAROL_NAME }]);
    await server.writeRoster('bob', [{ jid: ALICE }]);
    // Carol writes to alice while alice is away: it waits in the server's archive and offline store.
    const carol = new TestAccount({ caPem: server.caCertPem });
    try {
      await carol.login({ jid: CAROL, host: '127.0.0.1', port: server.c2sPort }, 'carol-pass');
      await carol.waitStatus('online', 30_000);
      for (let i = 1; i <= HISTORY; i++) carol.service.sendChat(ALICE, carolSays(i));
      // A round trip after the last one: everything before it has reached the server.
      await carol.service.historyPage(ALICE, { limit: 1 });
      await new Promise((r) => setTimeout(r, 500));
    } finally {
      await carol.close();
    }
    [alice, bob] = await Promise.all([openUser(browser, server), openUser(browser, server)]);
  });

  test.afterEach(() => attachLogsOnFailure({ alice, bob }));

  test.afterAll(async () => {
    await Promise.all([alice?.context.close(), bob?.context.close()]);
    await Promise.all([alice?.app.stop(), bob?.app.stop()]);
    if (aliceProfile) removeTempDir(aliceProfile);
    await server?.stop({ graceful: false });
  });

  test('both sign in; carol’s messages wait in a tab', async () => {
    await signIn(alice.page, alice.app.url, { jid: ALICE, password: 'alice-pass', host: '127.0.0.1', port: server.c2sPort, remember: true });
    await signIn(bob.page, bob.app.url, { jid: BOB, password: 'bob-pass', host: '127.0.0.1', port: server.c2sPort });
    await expect(contactRow(alice.page, BOB, 'Available')).toBeVisible({ timeout: 20_000 });
    await expect(alice.page.getByRole('tab', { name: new RegExp(`^${CAROL_NAME}`) })).toBeVisible({ timeout: 20_000 });
  });

  test('styling is rendered, typing is seen by the peer, and delivery shows', async () => {
    await contactRow(alice.page, BOB).dblclick();
    await contactRow(bob.page, ALICE).dblclick();
    await expect(composer(bob.page)).toBeFocused();
    // Bob writes first: his message shows alice that he supports chat states (XEP-0085).
    await composer(bob.page).fill('Hi *bold* _slanted_ ~gone~ `code()`\n> a quote');
    await composer(bob.page).press('Enter');
    const styled = item(alice.page, BOB, 'bold');
    await expect(styled.locator('strong')).toHaveText('bold');
    await expect(styled.locator('em')).toHaveText('slanted');
    await expect(styled.locator('del')).toHaveText('gone');
    await expect(styled.locator('code')).toHaveText('code()');
    await expect(styled.locator('blockquote')).toHaveText('a quote');
    // The directive characters are not shown.
    await expect(styled).not.toContainText('*bold*');

    await composer(alice.page).click();
    await composer(alice.page).pressSequentially('I am typ', { delay: 20 });
    const typing = bob.page.getByRole('status').filter({ hasText: `${ALICE} is typing…` });
    await expect(typing).toBeVisible();
    await shot(bob.page, 'chat-styling-typing');
    await composer(alice.page).pressSequentially('ing *this*');
    await composer(alice.page).press('Enter');
    await expect(item(bob.page, ALICE, 'I am typing')).toBeVisible();
    await expect(typing).toHaveCount(0);
    // Bob's client acknowledged it (XEP-0184), and with his window showing it, displayed it (XEP-0333).
    await expect(item(alice.page, BOB, 'I am typing')).toContainText(/Delivered|Seen/);
  });

  test('Up in an empty composer edits the last message; both sides show it edited', async () => {
    await composer(alice.page).press('ArrowUp');
    await expect(alice.page.getByText('Editing your message. Escape cancels.')).toBeVisible();
    await expect(composer(alice.page)).toHaveValue('I am typing *this*');
    await composer(alice.page).press('Escape');
    await expect(composer(alice.page)).toHaveValue('');
    await item(alice.page, BOB, 'I am typing').getByRole('button', { name: 'Edit your last message' }).click();
    await composer(alice.page).fill('I was typing *that*');
    await composer(alice.page).press('Enter');
    await expect(item(alice.page, BOB, 'I was typing that')).toContainText('edited');
    await expect(item(bob.page, ALICE, 'I was typing that')).toContainText('edited');
    await expect(item(bob.page, ALICE, 'I am typing')).toHaveCount(0);
  });

  test('the conversation is exported as a web page, remote text escaped', async () => {
    await alice.page.getByRole('button', { name: 'Export conversation' }).click();
    const menu = alice.page.getByRole('menu', { name: 'Export format' });
    await expect(menu.getByRole('menuitem', { name: 'Plain text (.txt)' })).toBeVisible();
    const [download] = await Promise.all([alice.page.waitForEvent('download'), menu.getByRole('menuitem', { name: 'Web page (.html)' }).click()]);
    expect(download.suggestedFilename()).toBe(`flint-${BOB}.html`);
    const html = fs.readFileSync((await download.path())!, 'utf8');
    expect(html).toContain('I was typing *that*');
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/<script/i);
    await expect(alice.page.getByRole('button', { name: 'Export conversation' })).toBeFocused();
  });

  test('scrolling to the top loads older messages and keeps the place', async () => {
    // A fresh window shows only the latest page of each conversation (app.snapshot).
    await alice.page.reload();
    await expect(alice.page.getByRole('textbox', { name: 'Filter contacts' })).toBeVisible({ timeout: 20_000 });
    await alice.page.getByRole('checkbox', { name: 'Show offline contacts' }).check();
    await contactRow(alice.page, CAROL_NAME).dblclick();
    const log = messageLog(alice.page, CAROL_NAME);
    await expect(item(alice.page, CAROL_NAME, `history ${n3(HISTORY)}`)).toBeVisible();
    await expect(item(alice.page, CAROL_NAME, 'history 010')).toHaveCount(0);
    const oldestShown = async () => (await log.getByRole('listitem').filter({ hasText: /history \d{3}/ }).first().textContent())!.match(/history (\d{3})/)![1]!;
    for (let round = 0; round < 10; round++) {
      const top = await oldestShown();
      if (top === '001') break;
      await log.hover();
      await alice.page.mouse.wheel(0, -20_000);
      await expect.poll(oldestShown).not.toBe(top);
      // The message that was at the top is still on screen: the view did not jump to the new top.
      await expect(item(alice.page, CAROL_NAME, `history ${top}`)).toBeInViewport();
    }
    await expect(item(alice.page, CAROL_NAME, 'history 001')).toBeAttached();
    await expect(alice.page.getByText('Start of the conversation')).toBeVisible();
    // Far above the bottom, a button goes straight back to the newest message.
    await alice.page.getByRole('button', { name: 'Jump to latest messages' }).click();
    await expect(item(alice.page, CAROL_NAME, `history ${n3(HISTORY)}`)).toBeInViewport();
    await expect(alice.page.getByRole('button', { name: 'Jump to latest messages' })).toHaveCount(0);
  });

  test('search finds an English and a Chinese word and opens the conversation at the hit', async () => {
    // Away from carol's conversation first, so opening the hit has to switch to it.
    await contactRow(alice.page, BOB).dblclick();
    const box = alice.page.getByRole('searchbox', { name: 'Search messages' });
    await box.fill('zebrafish');
    await box.press('Enter');
    const results = alice.page.getByRole('list', { name: 'Search results' });
    const hit = results.getByRole('button', { name: /zebrafish/ });
    await expect(hit).toHaveCount(1);
    await expect(hit.locator('mark')).toHaveText('zebrafish');
    await hit.click();
    await expect(alice.page.getByRole('tab', { name: new RegExp(`^${CAROL_NAME}`) })).toHaveAttribute('aria-selected', 'true');
    const target = item(alice.page, CAROL_NAME, 'zebrafish');
    await expect(target).toBeInViewport();
    await expect(target).toHaveAttribute('aria-current', 'true');

    await box.fill('数据库');
    await box.press('Enter');
    const zh = results.getByRole('button', { name: /数据库/ });
    await expect(zh).toHaveCount(1);
    await expect(zh.locator('mark')).toHaveText('数据库');
    await shot(alice.page, 'search-results');
    await zh.click();
    await expect(item(alice.page, CAROL_NAME, '我们的数据库很快')).toBeInViewport();
  });

  test('a message written while the server is down is queued, then delivered after reconnecting', async () => {
    test.setTimeout(120_000);
    await contactRow(alice.page, BOB).dblclick();
    await server.kill();
    await expect(alice.page.getByRole('status', { name: 'Connection status' })).toContainText(/Connection lost|Reconnecting|offline/, { timeout: 30_000 });
    await composer(alice.page).fill('written while the server was down');
    await composer(alice.page).press('Enter');
    await expect(item(alice.page, BOB, 'written while the server was down')).toContainText('Sending');
    await server.restart();
    for (const u of [alice, bob]) await reconnectNowIfOffered(u.page);
    await expect(item(bob.page, ALICE, 'written while the server was down')).toBeVisible({ timeout: 60_000 });
    await expect(item(alice.page, BOB, 'written while the server was down')).not.toContainText('Sending');
  });

  test('a queued message survives an app restart', async () => {
    test.setTimeout(120_000);
    await server.kill();
    await expect(alice.page.getByRole('status', { name: 'Connection status' })).toContainText(/Connection lost|Reconnecting|offline/, { timeout: 30_000 });
    await composer(alice.page).fill('queued across a restart');
    await composer(alice.page).press('Enter');
    await expect(item(alice.page, BOB, 'queued across a restart')).toContainText('Sending');
    aliceProfile = alice.app.dataDir;
    await alice.context.close();
    await alice.app.stop({ keepDataDir: true });
    await server.restart();
    const browser = bob.context.browser()!;
    alice = await openUser(browser, server, { dataDir: aliceProfile });
    await alice.page.goto(alice.app.url);
    // The remembered account signs in by itself and sends what was queued.
    await reconnectNowIfOffered(bob.page);
    await expect(item(bob.page, ALICE, 'queued across a restart')).toBeVisible({ timeout: 60_000 });
    await expect(item(bob.page, ALICE, 'queued across a restart')).toHaveCount(1);
  });
});

/**
 * Skip the backoff wait when the banner offers it. The session may reconnect by itself at any
 * moment and take the button away, so a click that finds no button is not a failure.
 */
async function reconnectNowIfOffered(page: Page): Promise<void> {
  await page
    .getByRole('button', { name: 'Reconnect now' })
    .click({ timeout: 2_000 })
    .catch(() => undefined);
}
