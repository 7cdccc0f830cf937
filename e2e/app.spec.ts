// Flint end to end: the renderer in Debian's Chromium, over the WebSocket bridge to the real
// main-process core (`node dist/main/web.cjs`), against a real Prosody from the test harness.
// Every element is found by role and accessible name (renderer/README.md).
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { expect, test } from '@playwright/test';
import { startProsody, type ProsodyServer } from '../test/harness/prosody';
import { addContact, connectionBanner, contactRow, expectSignedIn, messageLog, signIn, submitLogin } from './fixtures/flint-ui';
import { startFlintWeb, type FlintWeb } from './fixtures/flint-web';

const DOMAIN = 'example.test';
const SHOTS = path.join('test-results', 'screenshots');
const ALICE = `alice@${DOMAIN}`;
const BOB = `bob@${DOMAIN}`;

async function shot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

/** A user: own app process (own profile), own browser context (own storage), one page. */
interface User {
  app: FlintWeb;
  context: BrowserContext;
  page: Page;
}

async function openUser(browser: Browser, server: ProsodyServer): Promise<User> {
  const app = await startFlintWeb({ caCertPath: server.caCertPath });
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1200, height: 760 } });
  const page = await context.newPage();
  return { app, context, page };
}

async function closeUser(u: User | undefined, testInfo: { status?: string; expectedStatus: string; attach: (name: string, o: { body: string; contentType: string }) => Promise<void> }, label: string) {
  if (!u) return;
  if (testInfo.status !== testInfo.expectedStatus) await testInfo.attach(`${label}-flint-web.log`, { body: u.app.log(), contentType: 'text/plain' });
  await u.context.close();
  await u.app.stop();
}

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

  test.afterAll(async () => {
    const testInfo = test.info();
    await closeUser(alice, testInfo, 'alice');
    await closeUser(bob, testInfo, 'bob');
    await server?.stop({ graceful: false });
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

    const accept = bob.page.getByRole('button', { name: `Accept ${ALICE}` });
    await expect(bob.page.getByText(`${ALICE} wants to add you as a contact.`)).toBeVisible();
    await accept.click();
    await expect(accept).toBeHidden();

    // Accepting also asks for alice's presence in return; alice answers that request.
    const acceptBack = alice.page.getByRole('button', { name: `Accept ${BOB}` });
    await expect(contactRow(alice.page, BOB, 'Available').or(acceptBack)).toBeVisible();
    if (await acceptBack.isVisible()) await acceptBack.click();

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
    await expect(alice.page.getByRole('textbox', { name: 'Message' })).toBeFocused();

    await contactRow(bob.page, ALICE).focus();
    await bob.page.keyboard.press('Enter');
    await expect(bob.page.getByRole('tab', { name: ALICE })).toHaveAttribute('aria-selected', 'true');
    await expect(bob.page.getByRole('textbox', { name: 'Message' })).toBeFocused();

    const n = (i: number) => String(i).padStart(2, '0');
    const send = async (page: Page, text: (i: number) => string) => {
      const box = page.getByRole('textbox', { name: 'Message' });
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
    const box = alice.page.getByRole('textbox', { name: 'Message' });
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
    await server.restart();
    await expect(banner).toContainText('Reconnecting', { timeout: 20_000 });
    await expect(user.page.getByRole('button', { name: 'Reconnect now' })).toBeVisible();
    await shot(user.page, 'reconnecting');
    await expect(banner).toHaveText('', { timeout: 30_000 });
    await expect(user.page.getByRole('button', { name: 'Reconnect now' })).toBeHidden();
  } finally {
    await closeUser(user, testInfo, 'erin');
    await server.stop({ graceful: false });
  }
});
