// Flint end to end: the renderer in Debian's Chromium, over the WebSocket bridge to the real
// main-process core (`node dist/main/web.cjs`), against a real Prosody from the test harness.
// Every element is found by role and accessible name (renderer/README.md).
import type { Page } from '@playwright/test';
import { expect, test } from '@playwright/test';
import { startProsody, type ProsodyServer } from '../test/harness/prosody';
import { removeTempDir } from '../test/harness/process';
import { addContact, connectionBanner, contactRow, expectSignedIn, messageLog, signIn, submitLogin } from './fixtures/flint-ui';
import { shot, openUser, closeUser, type User, attachLogsOnFailure } from './fixtures/users';

const DOMAIN = 'example.test';
const ALICE = `alice@${DOMAIN}`;
const BOB = `bob@${DOMAIN}`;

test.describe('two users on one server', () => {
  test.describe.configure({ mode: 'serial' });
  let server: ProsodyServer;
  let alice: User;
  let bob: User;

  test.beforeAll(async ({ browser }) => {
    server = await startProsody({ domain: DOMAIN });
    await server.register('alice', 'alice-pass');
    await server.register('bob', 'bob-pass');
    [alice, bob] = await Promise.all([openUser(browser, server), openUser(browser, server)]);
  });

  test.afterEach(() => attachLogsOnFailure({ alice, bob }));

  test.afterAll(async () => {
    const testInfo = test.info();
    try {
      await Promise.all([closeUser(alice, testInfo, 'alice'), closeUser(bob, testInfo, 'bob')]);
    } finally {
      await server?.stop({ graceful: false });
    }
  });

  test('both sign in through the login form', async () => {
    await alice.page.goto(alice.app.url);
    await expect(alice.page.getByRole('textbox', { name: 'Jabber ID' })).toBeVisible();
    await shot(alice.page, 'login');
    await submitLogin(alice.page, { jid: ALICE, password: 'alice-pass', host: '127.0.0.1', port: server.c2sPort });
    await expectSignedIn(alice.page);
    await signIn(bob.page, bob.app.url, { jid: BOB, password: 'bob-pass', host: '127.0.0.1', port: server.c2sPort });
    // The token is gone from the address bar once the page has read it.
    expect(alice.page.url()).not.toContain('token=');
  });

  test('alice adds bob, bob accepts, and each sees the other online', async () => {
    await addContact(alice.page, BOB);
    // Until bob answers, alice sees him as awaiting approval.
    await expect(contactRow(alice.page, BOB, 'Awaiting approval')).toBeVisible();

    // "Accept and add" (issue 4): let alice see bob's status and ask for hers in return.
    const accept = bob.page.getByRole('button', { name: `Accept and add ${ALICE}` });
    await expect(bob.page.getByText(`${ALICE} wants to add you as a contact.`)).toBeVisible();
    await shot(bob.page, 'subscription-request');
    await accept.click();
    await expect(accept).toBeHidden();

    // Accepting also asks for alice's presence in return (never approved by itself); alice answers
    // that request. Bob's answer and his request are two stanzas: his row can show before the button.
    await alice.page.getByRole('button', { name: `Accept ${BOB}`, exact: true }).click();

    await expect(contactRow(alice.page, BOB, 'Available')).toBeVisible();
    await expect(contactRow(bob.page, ALICE, 'Available')).toBeVisible();
    await shot(alice.page, 'contact-list');
  });

  test('a presence change with a status message reaches the other side', async () => {
    await bob.page.getByRole('combobox', { name: 'Status' }).selectOption({ label: 'Away' });
    const status = bob.page.getByRole('textbox', { name: 'Status message' });
    await status.fill('Out for lunch');
    await status.press('Enter');
    await expect(contactRow(alice.page, BOB, 'Away, Out for lunch')).toBeVisible();

    await bob.page.getByRole('combobox', { name: 'Status' }).selectOption({ label: 'Do not disturb' });
    await expect(contactRow(alice.page, BOB, 'Do not disturb, Out for lunch')).toBeVisible();
  });

  test('20 messages each way arrive in order in both tabs', async () => {
    // Alice opens the chat with a double-click, bob with the keyboard (Enter on the tree item).
    await contactRow(alice.page, BOB).dblclick();
    await expect(alice.page.getByRole('tab', { name: BOB })).toHaveAttribute('aria-selected', 'true');
    await expect(alice.page.getByRole('textbox', { name: 'Message', exact: true })).toBeFocused();

    await contactRow(bob.page, ALICE).focus();
    await bob.page.keyboard.press('Enter');
    await expect(bob.page.getByRole('tab', { name: ALICE })).toHaveAttribute('aria-selected', 'true');
    await expect(bob.page.getByRole('textbox', { name: 'Message', exact: true })).toBeFocused();

    const n = (i: number) => String(i).padStart(2, '0');
    const send = async (page: Page, text: (i: number) => string) => {
      const box = page.getByRole('textbox', { name: 'Message', exact: true });
      for (let i = 1; i <= 20; i++) {
        await box.fill(text(i));
        await box.press('Enter');
      }
    };
    // Both type at once, so sends and receipts interleave on each side.
    await Promise.all([send(alice.page, (i) => `alice to bob ${n(i)}`), send(bob.page, (i) => `bob to alice ${n(i)}`)]);

    const fromAlice = Array.from({ length: 20 }, (_, i) => new RegExp(`alice to bob ${n(i + 1)}`));
    const fromBob = Array.from({ length: 20 }, (_, i) => new RegExp(`bob to alice ${n(i + 1)}`));
    for (const [page, peer] of [
      [alice.page, BOB],
      [bob.page, ALICE],
    ] as const) {
      const items = messageLog(page, peer).getByRole('listitem');
      await expect(items.filter({ hasText: /alice to bob \d\d/ })).toHaveText(fromAlice);
      await expect(items.filter({ hasText: /bob to alice \d\d/ })).toHaveText(fromBob);
    }
    // Alice's own messages are delivered (no pending clock, no error left).
    await expect(messageLog(alice.page, BOB).getByRole('listitem').filter({ hasText: /alice to bob \d\d/ }).filter({ hasText: 'Sending' })).toHaveCount(0);
    await expect(messageLog(alice.page, BOB).getByText(/Not sent/)).toHaveCount(0);

    // A link is shown as text and opens only after confirmation.
    const box = alice.page.getByRole('textbox', { name: 'Message', exact: true });
    await box.fill('see https://example.org/docs.');
    await box.press('Enter');
    const link = messageLog(bob.page, ALICE).getByRole('link', { name: 'https://example.org/docs' });
    await expect(link).toBeVisible();
    await shot(alice.page, 'chat');
    await link.click();
    const confirm = bob.page.getByRole('dialog', { name: 'Open link?' });
    await expect(confirm).toContainText('https://example.org/docs');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await expect(confirm).toBeHidden();
  });

  test('the contact list works from the keyboard', async () => {
    const filter = alice.page.getByRole('textbox', { name: 'Filter contacts' });
    await filter.fill('nobody-matches');
    await expect(alice.page.getByText('No contacts match “nobody-matches”.')).toBeVisible();
    await filter.fill('bob');
    await filter.press('ArrowDown');
    await expect(contactRow(alice.page, BOB)).toBeFocused();
    // Left goes to the group header, Left again collapses it, Right expands it again.
    await alice.page.keyboard.press('ArrowLeft');
    const group = alice.page.getByRole('treeitem', { name: 'Contacts (1/1)' });
    await expect(group).toBeFocused();
    await alice.page.keyboard.press('ArrowLeft');
    await expect(group).toHaveAttribute('aria-expanded', 'false');
    await expect(contactRow(alice.page, BOB)).toHaveCount(0);
    await alice.page.keyboard.press('ArrowRight');
    await expect(contactRow(alice.page, BOB)).toBeVisible();
    await filter.fill('');
  });

  test('settings switch the language to Simplified Chinese and the theme to dark', async () => {
    const page = alice.page;
    await page.getByRole('button', { name: 'Account' }).click();
    await page.getByRole('button', { name: 'Settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    await dialog.getByRole('combobox', { name: 'Language' }).selectOption({ label: '简体中文 (Simplified Chinese)' });
    const zhDialog = page.getByRole('dialog', { name: '设置' });
    await zhDialog.getByRole('combobox', { name: '主题' }).selectOption({ label: '深色' });
    await zhDialog.getByRole('button', { name: '关闭' }).click();
    await expect(page.getByRole('textbox', { name: '筛选联系人' })).toBeVisible();
    await expect(page.getByRole('tab', { name: BOB })).toBeVisible();
    await expect(page.getByRole('button', { name: '发送' })).toBeVisible();
    expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dataset.theme])).toEqual(['zh-CN', 'dark']);
    await shot(page, 'chat-zh-CN-dark');
  });

  test('signing out returns to the login form, prefilled', async () => {
    await bob.page.getByRole('button', { name: 'Account' }).click();
    await bob.page.getByRole('button', { name: 'Sign out' }).click();
    await expect(bob.page.getByRole('textbox', { name: 'Jabber ID' })).toHaveValue(BOB);
    await expect(bob.page.getByRole('textbox', { name: 'Password' })).toHaveValue('');
    // Alice (now reading Chinese, where the name and presence are joined by '，') sees bob go offline.
    await expect(alice.page.getByRole('treeitem', { name: `${BOB}，离线` })).toBeVisible();
  });
});

test('a wrong password is explained next to the password field', async ({ browser }, testInfo) => {
  const server = await startProsody({ domain: DOMAIN });
  let user: User | undefined;
  try {
    await server.register('carol', 'right-pass');
    user = await openUser(browser, server);
    await user.page.goto(user.app.url);
    await submitLogin(user.page, { jid: `carol@${DOMAIN}`, password: 'wrong-pass', host: '127.0.0.1', port: server.c2sPort });
    const password = user.page.getByRole('textbox', { name: 'Password' });
    await expect(password).toHaveAccessibleDescription(/Wrong password/, { timeout: 20_000 });
    await expect(password).toHaveAttribute('aria-invalid', 'true');
    await expect(password).toBeFocused();
    await expect(user.page.getByText('Wrong password, or no such account on this server.')).toBeVisible();
    // Nothing else is blamed.
    await expect(user.page.getByRole('textbox', { name: 'Jabber ID' })).not.toHaveAttribute('aria-invalid', 'true');
    await shot(user.page, 'login-wrong-password');
  } finally {
    await closeUser(user, testInfo, 'carol');
    await server.stop({ graceful: false });
  }
});

test('an untrusted certificate asks first, and trusting it signs in', async ({ browser }, testInfo) => {
  const server = await startProsody({ domain: DOMAIN, cert: 'self-signed' });
  let user: User | undefined;
  try {
    await server.register('dave', 'dave-pass');
    user = await openUser(browser, server);
    await user.page.goto(user.app.url);
    await submitLogin(user.page, { jid: `dave@${DOMAIN}`, password: 'dave-pass', host: '127.0.0.1', port: server.c2sPort });
    const dialog = user.page.getByRole('dialog', { name: 'Untrusted certificate' });
    await expect(dialog).toBeVisible({ timeout: 20_000 });
    // The fingerprint is shown in groups of 8 bytes; the first group identifies it well enough here.
    const firstBytes = server.certFingerprint256.split(':').slice(0, 8).join(':');
    await expect(dialog).toContainText(firstBytes);
    await expect(dialog).toContainText('SHA-256 fingerprint');
    await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
    await shot(user.page, 'certificate-dialog');
    await dialog.getByRole('button', { name: 'Trust this certificate' }).click();
    await expectSignedIn(user.page);
  } finally {
    await closeUser(user, testInfo, 'dave');
    await server.stop({ graceful: false });
  }
});

test('a server restart shows "Reconnecting", then the session is back online', async ({ browser }, testInfo) => {
  const server = await startProsody({ domain: DOMAIN });
  let user: User | undefined;
  try {
    await server.register('erin', 'erin-pass');
    user = await openUser(browser, server);
    await signIn(user.page, user.app.url, { jid: `erin@${DOMAIN}`, password: 'erin-pass', host: '127.0.0.1', port: server.c2sPort });
    const banner = connectionBanner(user.page);
    await expect(banner).toHaveText('');
    // Down until the banner is checked: a restart() alone can be over before the page is looked at.
    await server.halt();
    await expect(banner).toContainText('Reconnecting', { timeout: 20_000 });
    await expect(user.page.getByRole('button', { name: 'Reconnect now' })).toBeVisible();
    await shot(user.page, 'reconnecting');
    await server.restart();
    await expect(banner).toHaveText('', { timeout: 30_000 });
    await expect(user.page.getByRole('button', { name: 'Reconnect now' })).toBeHidden();
  } finally {
    await closeUser(user, testInfo, 'erin');
    await server.stop({ graceful: false });
  }
});

test('a 10,000-contact roster is virtualized and filterable', async ({ browser }, testInfo) => {
  const server = await startProsody({ domain: DOMAIN });
  let user: User | undefined;
  try {
    await server.register('frank', 'frank-pass');
    const items = Array.from({ length: 10_000 }, (_, i) => ({ jid: `user${i}@${DOMAIN}`, name: `User ${String(i).padStart(5, '0')}`, groups: [`Team ${i % 50}`] }));
    await server.writeRoster('frank', items);
    user = await openUser(browser, server);
    const started = Date.now();
    await signIn(user.page, user.app.url, { jid: `frank@${DOMAIN}`, password: 'frank-pass', host: '127.0.0.1', port: server.c2sPort });
    const tree = user.page.getByRole('tree', { name: 'Contacts' });
    await expect(tree.getByRole('treeitem', { name: 'Offline (10000)' })).toBeVisible({ timeout: 30_000 });
    const loadedMs = Date.now() - started;
    // Only the rows in view (plus overscan) exist in the DOM.
    expect(await tree.getByRole('treeitem').count()).toBeLessThan(60);
    await user.page.getByRole('textbox', { name: 'Filter contacts' }).fill('User 09999');
    await expect(tree.getByRole('treeitem', { name: /^User 09999, Offline/ })).toBeVisible();
    await expect(tree.getByRole('treeitem')).toHaveCount(2);
    // Scrolling to the end with the keyboard reaches the last contact.
    await user.page.getByRole('textbox', { name: 'Filter contacts' }).fill('');
    await tree.getByRole('treeitem', { name: 'Offline (10000)' }).focus();
    await user.page.keyboard.press('End');
    await expect(tree.getByRole('treeitem', { name: /^User 09999, Offline/ })).toBeFocused();
    const figure = `sign-in to a 10,000-contact roster on screen: ${loadedMs} ms`;
    testInfo.annotations.push({ type: 'figure', description: figure });
    console.log(figure);
  } finally {
    await closeUser(user, testInfo, 'frank');
    await server.stop({ graceful: false });
  }
});

test('a remembered password signs in by itself on the next start', async ({ browser }, testInfo) => {
  const server = await startProsody({ domain: DOMAIN });
  let first: User | undefined;
  let second: User | undefined;
  let profile: string | undefined;
  try {
    await server.register('gina', 'gina-pass');
    first = await openUser(browser, server);
    profile = first.app.dataDir;
    await signIn(first.page, first.app.url, { jid: `gina@${DOMAIN}`, password: 'gina-pass', host: '127.0.0.1', port: server.c2sPort, remember: true });
    await first.context.close();
    await first.app.stop({ keepDataDir: true });
    expect(first.errors).toEqual([]);
    first = undefined;

    // Same profile, new process: app.snapshot says offline, account.resume finds the saved password.
    second = await openUser(browser, server, { dataDir: profile });
    await second.page.goto(second.app.url);
    await expect(second.page.getByRole('textbox', { name: 'Filter contacts' })).toBeVisible({ timeout: 20_000 });
    await expect(connectionBanner(second.page)).toHaveText('');
  } finally {
    await closeUser(first, testInfo, 'gina-1');
    await closeUser(second, testInfo, 'gina-2');
    if (profile) removeTempDir(profile);
    await server.stop({ graceful: false });
  }
});
