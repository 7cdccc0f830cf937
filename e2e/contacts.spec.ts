// Issue 4 end to end: two people (and a third party) on a real Prosody, each with their own Flint
// in web mode, in Chromium through the bridge. Contact requests (coalesced, block from a request,
// accept and add), rename, move and copy between groups, group rename and delete, the contact card,
// the profile with a picture the other user sees, auto-away with a shortened threshold, block and
// unblock, remove; account creation from the login screen and a password change. Elements found by role and name only.
import type { Locator, Page } from '@playwright/test';
import { expect, test } from '@playwright/test';
import { startEjabberd } from '../test/harness/ejabberd';
import { startProsody, type ProsodyServer } from '../test/harness/prosody';
import { connectRawClient, type RawClient } from '../test/harness/raw-client';
import { connectBridge, type BridgeClient } from './fixtures/bridge-client';
import { addContact, contactRow, expectSignedIn, signIn, submitLogin } from './fixtures/flint-ui';
import { startFlintWeb } from './fixtures/flint-web';
import { shot, openUser, closeUser, type User, attachLogsOnFailure } from './fixtures/users';
import { gradientPng } from './fixtures/png';

const DOMAIN = 'example.test';
const ALICE = `alice@${DOMAIN}`;
const BOB = `bob@${DOMAIN}`;
const DAVE = `dave@${DOMAIN}`;

/** Opens a contact's actions menu with its "More actions" button and returns the menu. */
async function contactMenu(page: Page, name: string): Promise<Locator> {
  const tree = page.getByRole('tree', { name: 'Contacts' });
  await tree.getByRole('button', { name: `More actions for ${name}`, exact: true }).first().click();
  const menu = page.getByRole('menu', { name: `Actions for ${name}` });
  await expect(menu).toBeVisible();
  return menu;
}

function groupHeader(page: Page, text: string): Locator {
  return page.getByRole('tree', { name: 'Contacts' }).getByRole('treeitem', { name: text, exact: true });
}

test.describe('contacts, profile and presence (issue 4)', () => {
  test.describe.configure({ mode: 'serial' });
  let server: ProsodyServer;
  let alice: User;
  let bob: User;
  let aliceBridge: BridgeClient;
  let dave: RawClient;

  test.beforeAll(async ({ browser }) => {
    server = await startProsody({ domain: DOMAIN, allowRegistration: true });
    await server.registerMany([
      { user: 'alice', pass: 'alice-pass' },
      { user: 'bob', pass: 'bob-pass' },
      { user: 'dave', pass: 'dave-pass' },
    ]);
    // Alice's Flint runs with the test hooks: its idle time is set from here (debug.setIdleSeconds).
    [alice, bob] = await Promise.all([openUser(browser, server, { env: { FLINT_TEST_HOOKS: '1' } }), openUser(browser, server)]);
  });

  test.afterEach(() => attachLogsOnFailure({ alice, bob }));

  test.afterAll(async () => {
    const testInfo = test.info();
    try {
      await aliceBridge?.close();
      await dave?.close();
      await Promise.all([closeUser(alice, testInfo, 'alice'), closeUser(bob, testInfo, 'bob')]);
    } finally {
      await server?.stop({ graceful: false });
    }
  });

  test('requests arrive in one panel; one is blocked, the other accepted and added both ways', async () => {
    await signIn(alice.page, alice.app.url, { jid: ALICE, password: 'alice-pass', host: '127.0.0.1', port: server.c2sPort });
    await signIn(bob.page, bob.app.url, { jid: BOB, password: 'bob-pass', host: '127.0.0.1', port: server.c2sPort });
    aliceBridge = await connectBridge(alice.app.url);

    await addContact(alice.page, BOB, { name: 'Bobby', group: 'Friends' });
    await expect(contactRow(alice.page, 'Bobby', 'Awaiting approval')).toBeVisible();
    dave = await connectRawClient({ port: server.c2sPort, domain: DOMAIN, caPem: server.caCertPem, user: 'dave', pass: 'dave-pass', resource: 'raw' });
    dave.send(`<presence to='${BOB}' type='subscribe'/>`);

    const requests = bob.page.getByRole('region', { name: 'Contact requests' });
    await expect(requests.getByRole('heading', { name: '2 contact requests' })).toBeVisible();
    await expect(requests.getByText(`${ALICE} wants to add you as a contact.`)).toBeVisible();
    await expect(requests.getByText(`${DAVE} wants to add you as a contact.`)).toBeVisible();
    await expect(requests.getByRole('button', { name: 'Accept all' })).toBeVisible();
    await shot(bob.page, 'contact-requests');

    // Block from the request: dave is denied and blocked.
    await requests.getByRole('button', { name: `Block ${DAVE}` }).click();
    await expect(requests.getByText(`${DAVE} wants to add you as a contact.`)).toBeHidden();
    // Blocked, bob now appears offline to dave (XEP-0191 §3.3).
    await dave.readUntil(new RegExp(`<presence(?=[^>]*from=['"]${BOB}['"])(?=[^>]*type=['"]unavailable['"])[^>]*>`));

    await requests.getByRole('button', { name: `Accept and add ${ALICE}` }).click();
    await expect(requests).toBeHidden();
    await alice.page.getByRole('button', { name: `Accept ${BOB}`, exact: true }).click();
    await expect(contactRow(alice.page, 'Bobby', 'Available')).toBeVisible();
    await expect(contactRow(bob.page, ALICE, 'Available')).toBeVisible();

    // Bob's blocklist shows dave.
    await bob.page.getByRole('button', { name: 'Account' }).click();
    await bob.page.getByRole('button', { name: 'Blocked contacts' }).click();
    const blocked = bob.page.getByRole('dialog', { name: 'Blocked contacts' });
    await expect(blocked.getByRole('listitem').filter({ hasText: DAVE })).toBeVisible();
    await blocked.getByRole('button', { name: 'Close' }).click();
  });

  test('rename, move and copy a contact; rename and delete a group', async () => {
    const page = alice.page;
    let menu = await contactMenu(page, 'Bobby');
    await shot(page, 'contact-menu');
    await menu.getByRole('menuitem', { name: 'Rename…' }).click();
    const rename = page.getByRole('dialog', { name: 'Rename contact' });
    await rename.getByRole('textbox', { name: 'Name' }).fill('Robert');
    await shot(page, 'rename-contact');
    await rename.getByRole('button', { name: 'Rename' }).click();
    await expect(rename).toBeHidden();
    await expect(contactRow(page, 'Robert', 'Available')).toBeVisible();
    // Focus went back to the row.
    await expect(contactRow(page, 'Robert')).toBeFocused();

    menu = await contactMenu(page, 'Robert');
    await menu.getByRole('menuitem', { name: 'Move to group…' }).click();
    const move = page.getByRole('dialog', { name: 'Move Robert to group' });
    await move.getByRole('combobox', { name: 'Group' }).fill('Work');
    await shot(page, 'move-contact');
    await move.getByRole('button', { name: 'Move' }).click();
    await expect(groupHeader(page, 'Work (1/1)')).toBeVisible();
    await expect(groupHeader(page, 'Friends (1/1)')).toHaveCount(0);

    // Copy from the keyboard: Shift+F10 on the row opens the same menu.
    await contactRow(page, 'Robert').focus();
    await page.keyboard.press('Shift+F10');
    menu = page.getByRole('menu', { name: 'Actions for Robert' });
    await expect(menu.getByRole('menuitem', { name: 'Open chat' })).toBeFocused();
    await menu.getByRole('menuitem', { name: 'Copy to group…' }).press('Enter');
    const copy = page.getByRole('dialog', { name: 'Copy Robert to group' });
    await copy.getByRole('combobox', { name: 'Group' }).fill('Team');
    await copy.getByRole('combobox', { name: 'Group' }).press('Enter');
    await expect(groupHeader(page, 'Team (1/1)')).toBeVisible();
    await expect(groupHeader(page, 'Work (1/1)')).toBeVisible();

    await page.getByRole('tree', { name: 'Contacts' }).getByRole('button', { name: 'More actions for group Team', exact: true }).click();
    await page.getByRole('menu', { name: 'Actions for group Team' }).getByRole('menuitem', { name: 'Rename group…' }).click();
    const renameGroup = page.getByRole('dialog', { name: 'Rename group' });
    await renameGroup.getByRole('textbox', { name: 'Group name' }).fill('Crew');
    await renameGroup.getByRole('button', { name: 'Rename' }).click();
    await expect(groupHeader(page, 'Crew (1/1)')).toBeVisible();
    await expect(groupHeader(page, 'Team (1/1)')).toHaveCount(0);

    await page.getByRole('tree', { name: 'Contacts' }).getByRole('button', { name: 'More actions for group Crew', exact: true }).click();
    await page.getByRole('menu', { name: 'Actions for group Crew' }).getByRole('menuitem', { name: 'Delete group…' }).click();
    const del = page.getByRole('dialog', { name: 'Delete group' });
    await expect(del).toContainText('Delete the group “Crew” (1 contact)?');
    await shot(page, 'delete-group');
    await del.getByRole('button', { name: 'Delete' }).click();
    await expect(groupHeader(page, 'Crew (1/1)')).toHaveCount(0);
    await expect(contactRow(page, 'Robert', 'Available')).toBeVisible();
    await expect(groupHeader(page, 'Work (1/1)')).toBeVisible();
  });

  test('view options: sort by status and groups with nobody online, remembered', async () => {
    const page = alice.page;
    await page.getByRole('button', { name: 'View options' }).click();
    await page.getByRole('combobox', { name: 'Sort contacts' }).selectOption({ label: 'By status' });
    await page.getByRole('checkbox', { name: 'Show groups with nobody online' }).check();
    await page.reload();
    await expectSignedIn(page);
    await page.getByRole('button', { name: 'View options' }).click();
    await expect(page.getByRole('combobox', { name: 'Sort contacts' })).toHaveValue('presence');
    await expect(page.getByRole('checkbox', { name: 'Show groups with nobody online' })).toBeChecked();
    await page.getByRole('checkbox', { name: 'Show groups with nobody online' }).uncheck();
    await page.getByRole('combobox', { name: 'Sort contacts' }).selectOption({ label: 'By name' });
    await page.getByRole('button', { name: 'View options' }).click();
  });

  test('the contact card shows each resource with its client', async () => {
    const page = alice.page;
    const menu = await contactMenu(page, 'Robert');
    await menu.getByRole('menuitem', { name: 'View profile' }).click();
    const card = page.getByRole('dialog', { name: 'Contact details' });
    await expect(card).toContainText(BOB);
    await expect(card).toContainText('You see each other’s status');
    const resources = card.getByRole('list', { name: 'Online now' });
    await expect(resources.getByRole('listitem')).toHaveCount(1);
    await expect(resources).toContainText(/Client: Flint \d/);
    await expect(resources).toContainText('priority 0');
    await shot(page, 'contact-card');
    await card.getByRole('button', { name: 'Close' }).click();
    await expect(card).toBeHidden();
  });

  test('a profile with a picture, edited by one user, is seen by the other', async () => {
    const page = alice.page;
    await page.getByRole('button', { name: 'Account' }).click();
    await page.getByRole('button', { name: 'Edit profile' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit profile' });
    await expect(dialog.getByRole('textbox', { name: 'Full name' })).toBeEnabled();
    await dialog.getByRole('textbox', { name: 'Full name' }).fill('Alice Liddell');
    await dialog.getByRole('textbox', { name: 'Nickname' }).fill('ally');
    await dialog.getByRole('textbox', { name: 'Email' }).fill('alice@wonderland.example');
    await dialog.getByRole('textbox', { name: 'Phone' }).fill('+44 1865 000');
    await dialog.getByRole('textbox', { name: 'Organization' }).fill('Wonderland Ltd');
    const chooser = page.waitForEvent('filechooser');
    await dialog.getByRole('button', { name: 'Choose picture…' }).click();
    await (await chooser).setFiles({ name: 'alice.png', mimeType: 'image/png', buffer: gradientPng(800, 600) });
    const preview = dialog.getByRole('img', { name: 'Your picture' });
    await expect(preview).toBeVisible();
    // Scaled in the page to at most 192 px, aspect kept.
    expect(await preview.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight])).toEqual([192, 144]);
    await shot(page, 'profile-dialog');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog).toBeHidden({ timeout: 15_000 });

    // Bob opens Alice's card: her picture (fetched by main, a data: URL) and her vCard.
    const menu = await contactMenu(bob.page, ALICE);
    await menu.getByRole('menuitem', { name: 'View profile' }).click();
    const card = bob.page.getByRole('dialog', { name: 'Contact details' });
    const picture = card.getByRole('img', { name: 'Picture of Alice Liddell' });
    await expect(picture).toBeVisible({ timeout: 15_000 });
    expect(await picture.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    expect(await picture.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight])).toEqual([192, 144]);
    await expect(card).toContainText('Alice Liddell');
    await expect(card).toContainText('alice@wonderland.example');
    await expect(card).toContainText('Wonderland Ltd');
    await shot(bob.page, 'contact-card-with-picture');
    await card.getByRole('button', { name: 'Close' }).click();
  });

  test('auto-away: away after the idle threshold, extended away later, back when the user returns', async () => {
    const page = alice.page;
    await page.getByRole('button', { name: 'Account' }).click();
    await page.getByRole('button', { name: 'Settings' }).click();
    const settings = page.getByRole('dialog', { name: 'Settings' });
    await expect(settings.getByRole('checkbox', { name: 'Set my status to Away when I am idle' })).toBeChecked();
    await settings.getByRole('textbox', { name: 'Away after (minutes)', exact: true }).fill('1');
    await settings.getByRole('textbox', { name: 'Extended away after (minutes)' }).fill('2');
    await settings.getByRole('textbox', { name: 'Away after (minutes)', exact: true }).focus();
    await shot(page, 'settings-auto-away');
    await settings.getByRole('button', { name: 'Close' }).click();
    await expect.poll(async () => (await aliceBridge.invoke('app.snapshot', {})).profile.autoAway).toEqual({ enabled: true, awayMinutes: 1, xaMinutes: 2 });

    await aliceBridge.invoke('debug.setIdleSeconds', { seconds: 70 });
    await expect(contactRow(bob.page, ALICE, 'Away')).toBeVisible();
    // Her own selector follows, and the card tells bob how long she has been idle.
    await expect(page.getByRole('combobox', { name: 'Status' })).toHaveValue('away');
    await aliceBridge.invoke('debug.setIdleSeconds', { seconds: 130 });
    await expect(contactRow(bob.page, ALICE, 'Extended away')).toBeVisible();
    const menu = await contactMenu(bob.page, ALICE);
    await menu.getByRole('menuitem', { name: 'View profile' }).click();
    const card = bob.page.getByRole('dialog', { name: 'Contact details' });
    // XEP-0319: idle since the moment she left (70 s before the first check), kept through extended away.
    await expect(card.getByRole('list', { name: 'Online now' })).toContainText(/Idle for [12] minutes?/);
    await card.getByRole('button', { name: 'Close' }).click();

    await aliceBridge.invoke('debug.setIdleSeconds', { seconds: 0 });
    await expect(contactRow(bob.page, ALICE, 'Available')).toBeVisible();
    await expect(page.getByRole('combobox', { name: 'Status' })).toHaveValue('available');
  });

  test('a saved status message is picked from the status selector', async () => {
    const page = alice.page;
    const status = page.getByRole('textbox', { name: 'Status message' });
    await status.fill('Reading');
    await page.getByRole('button', { name: 'Save status message' }).click();
    await status.fill('');
    await status.press('Enter');
    await page.getByRole('combobox', { name: 'Status' }).selectOption({ label: 'Available: Reading' });
    await expect(status).toHaveValue('Reading');
    await expect(contactRow(bob.page, ALICE, 'Available, Reading')).toBeVisible();
  });

  test('block and unblock a contact from the list', async () => {
    const page = alice.page;
    let menu = await contactMenu(page, 'Robert');
    await menu.getByRole('menuitem', { name: 'Block' }).click();
    // Blocked: marked in the row, and bob's presence no longer reaches alice (XEP-0191 §3.3).
    await expect(contactRow(page, 'Robert', 'Offline')).toHaveAccessibleName(/Blocked$/);
    await shot(page, 'blocked-row');
    menu = await contactMenu(page, 'Robert');
    await menu.getByRole('menuitem', { name: 'Unblock' }).click();
    await expect(contactRow(page, 'Robert', 'Available')).toBeVisible();
    await expect(contactRow(page, 'Robert')).not.toHaveAccessibleName(/Blocked/);
  });

  test('removing a contact ends the subscriptions both ways', async () => {
    const page = alice.page;
    const menu = await contactMenu(page, 'Robert');
    await menu.getByRole('menuitem', { name: 'Remove contact…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Remove contact' });
    await expect(dialog).toContainText('Remove Robert from your contacts?');
    await dialog.getByRole('button', { name: 'Remove' }).click();
    await expect(contactRow(page, 'Robert')).toHaveCount(0);
    // Bob keeps alice in his list, but neither sees the other now.
    await expect(contactRow(bob.page, 'Alice Liddell').or(contactRow(bob.page, ALICE)).first()).toHaveAccessibleName(/Status not shared/);
  });
});

test('an account is created from the login screen, then used to sign in', async ({ browser }, testInfo) => {
  const server = await startProsody({ domain: DOMAIN, allowRegistration: true });
  const app = await startFlintWeb({ caCertPath: server.caCertPath });
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1200, height: 760 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    await server.register('taken', 'x-pass');
    await page.goto(app.url);
    // Advanced settings apply to registration too (the test server listens on 127.0.0.1).
    await page.getByRole('textbox', { name: 'Jabber ID' }).fill(`newbie@${DOMAIN}`);
    await page.getByRole('button', { name: 'Advanced' }).click();
    await page.getByRole('textbox', { name: 'Server' }).fill('127.0.0.1');
    await page.getByRole('textbox', { name: 'Port' }).fill(String(server.c2sPort));
    await page.getByRole('button', { name: 'Create account' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create account' });
    await expect(dialog.getByRole('textbox', { name: 'Server' })).toHaveValue(DOMAIN);
    await dialog.getByRole('button', { name: 'Continue' }).click();
    const user = dialog.getByRole('textbox', { name: /username/i });
    await expect(user).toBeVisible();
    await user.fill('taken');
    await dialog.getByRole('textbox', { name: /password/i }).fill('newbie-pass');
    await dialog.getByRole('button', { name: 'Create account' }).click();
    await expect(dialog.getByRole('alert')).toContainText('That user name is already taken.');
    await user.fill('newbie');
    await shot(page, 'create-account');
    await dialog.getByRole('button', { name: 'Create account' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole('status').filter({ hasText: `Account newbie@${DOMAIN} created.` })).toBeVisible();
    await expect(page.getByRole('textbox', { name: 'Jabber ID' })).toHaveValue(`newbie@${DOMAIN}`);
    await submitLogin(page, { jid: `newbie@${DOMAIN}`, password: 'newbie-pass' });
    await expectSignedIn(page);

    // XEP-0077 §3.3: the new account changes its password from Settings…
    await page.getByRole('button', { name: 'Account' }).click();
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('dialog', { name: 'Settings' }).getByRole('button', { name: 'Change password…' }).click();
    const change = page.getByRole('dialog', { name: 'Change password' });
    await change.getByRole('textbox', { name: 'New password', exact: true }).fill('newer-pass');
    await change.getByRole('textbox', { name: 'Confirm new password' }).fill('not-the-same');
    await change.getByRole('button', { name: 'Change password' }).click();
    await expect(change.getByRole('textbox', { name: 'Confirm new password' })).toHaveAccessibleDescription(/The two passwords are not the same\./);
    await change.getByRole('textbox', { name: 'Confirm new password' }).fill('newer-pass');
    await change.getByRole('button', { name: 'Change password' }).click();
    await expect(change.getByRole('status')).toHaveText('Your password was changed. Use the new one from now on.');
    await shot(page, 'password-changed');
    await change.getByRole('button', { name: 'Close' }).click();
    await page.getByRole('dialog', { name: 'Settings' }).getByRole('button', { name: 'Close' }).click();
    // …after which the server refuses the old one and takes the new one.
    await page.getByRole('button', { name: 'Account' }).click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await submitLogin(page, { jid: `newbie@${DOMAIN}`, password: 'newbie-pass' });
    await expect(page.getByRole('textbox', { name: 'Password' })).toHaveAccessibleDescription(/Wrong password/, { timeout: 20_000 });
    await submitLogin(page, { jid: `newbie@${DOMAIN}`, password: 'newer-pass' });
    await expectSignedIn(page);
  } finally {
    if (testInfo.status !== testInfo.expectedStatus) await testInfo.attach('flint-web.log', { body: app.log(), contentType: 'text/plain' });
    await context.close();
    await app.stop();
    await server.stop({ graceful: false });
  }
  expect(errors).toEqual([]);
});

test('the user directory is searched from Add contact, its form drawn generically (ejabberd vjud)', async ({ browser }, testInfo) => {
  const server = await startEjabberd({ domain: DOMAIN });
  const app = await startFlintWeb({ caCertPath: server.caCertPath });
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1200, height: 760 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    await server.registerMany([
      { user: 'searcher', pass: 'searcher-pass' },
      { user: 'nurse', pass: 'nurse-pass' },
    ]);
    await server.api('set_vcard', { user: 'nurse', host: DOMAIN, name: 'FN', content: 'Angelica Nurse' });
    await signIn(page, app.url, { jid: `searcher@${DOMAIN}`, password: 'searcher-pass', host: '127.0.0.1', port: server.c2sPort });
    await page.getByRole('button', { name: 'Add contact' }).click();
    const add = page.getByRole('dialog', { name: 'Add contact' });
    await add.getByRole('button', { name: 'Search directory…' }).click();
    const dir = page.getByRole('dialog', { name: 'Search the user directory' });
    await dir.getByRole('textbox', { name: 'Full Name', exact: true }).fill('Angelica Nurse');
    await dir.getByRole('button', { name: 'Search' }).click();
    await expect(dir.getByRole('heading', { name: '1 person found' })).toBeVisible();
    await expect(dir.getByRole('table')).toContainText(`nurse@${DOMAIN}`);
    await shot(page, 'directory-search');
    await dir.getByRole('button', { name: `Choose nurse@${DOMAIN}` }).click();
    await expect(dir).toBeHidden();
    await expect(add.getByRole('textbox', { name: 'Jabber ID' })).toHaveValue(`nurse@${DOMAIN}`);
    await expect(add.getByRole('textbox', { name: 'Name' })).toHaveValue('Angelica Nurse');
    await add.getByRole('button', { name: 'Add', exact: true }).click();
    await expect(contactRow(page, 'Angelica Nurse', 'Awaiting approval')).toBeVisible();
  } finally {
    if (testInfo.status !== testInfo.expectedStatus) await testInfo.attach('flint-web.log', { body: app.log(), contentType: 'text/plain' });
    await context.close();
    await app.stop();
    await server.stop();
  }
  expect(errors).toEqual([]);
});
