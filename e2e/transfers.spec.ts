// Issue 6 end to end: two Flint users in Chromium (web mode through the bridge, the real main
// process) on a real Prosody with a SOCKS5 proxy and HTTP file sharing. Alice drops a file of
// random bytes onto the conversation, confirms; Bob sees the offer card, accepts; both see the
// progress and the end; the file in Bob's download folder is byte-identical. Then: a decline,
// "Save as…" into another folder under another name (the browser bridge has no native dialogs),
// a pasted screenshot, "Send file" with the page's file chooser, the transfers panel, and the
// download folder in Settings. Every element is found by role and accessible name.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect, test } from '@playwright/test';
import { startProsody, type ProsodyServer } from '../test/harness/prosody';
import { makeTempDir, removeTempDir } from '../test/harness/process';
import { contactRow, messageLog, signIn } from './fixtures/flint-ui';
import { gradientPng } from './fixtures/png';
import { closeUser, openUser, shot, type User, attachLogsOnFailure } from './fixtures/users';

const DOMAIN = 'example.test';
const ALICE = `alice@${DOMAIN}`;
const BOB = `bob@${DOMAIN}`;

const sha256 = (b: Buffer | Uint8Array) => createHash('sha256').update(b).digest('hex');

interface PageFile {
  name: string;
  mimeType: string;
  bytes: Buffer;
}

/** The conversation with `peer` (a tabpanel labelled by its tab). */
const chatPanel = (page: Page, peer: string): Locator => page.getByRole('tabpanel', { name: peer });

/** Builds a DataTransfer holding `files` inside the page (bytes travel as base64). */
async function dataTransferOf(page: Page, files: PageFile[]) {
  return page.evaluateHandle((list) => {
    const dt = new DataTransfer();
    for (const f of list) {
      const bin = atob(f.base64);
      const bytes = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      dt.items.add(new File([bytes], f.name, { type: f.mimeType }));
    }
    return dt;
  }, files.map((f) => ({ name: f.name, mimeType: f.mimeType, base64: f.bytes.toString('base64') })));
}

/** Drags `files` over the conversation (the drop target shows) and drops them. */
async function dropFiles(page: Page, peer: string, files: PageFile[]): Promise<void> {
  const target = chatPanel(page, peer);
  const dataTransfer = await dataTransferOf(page, files);
  await target.dispatchEvent('dragenter', { dataTransfer });
  await target.dispatchEvent('dragover', { dataTransfer });
  await expect(page.getByText(`Drop files to send them to ${peer}`)).toBeVisible();
  await target.dispatchEvent('drop', { dataTransfer });
  await expect(page.getByText(`Drop files to send them to ${peer}`)).toBeHidden();
  await dataTransfer.dispose();
}

/** A transfer card in the conversation: the log's listitem that names the file. */
const card = (page: Page, peer: string, fileName: string): Locator => messageLog(page, peer).getByRole('listitem').filter({ hasText: fileName });

/** Waits until `file` exists with `size` bytes (the receiver writes it as it arrives). */
async function waitForFile(file: string, size: number): Promise<Buffer> {
  await expect.poll(() => (fs.existsSync(file) ? fs.statSync(file).size : -1), { timeout: 30_000 }).toBe(size);
  return fs.readFileSync(file);
}

test.describe('file transfers (issue 6)', () => {
  test.describe.configure({ mode: 'serial' });
  let server: ProsodyServer;
  let alice: User;
  let bob: User;
  const dirs: string[] = [];
  let aliceDownloads: string;
  let bobDownloads: string;

  test.beforeAll(async ({ browser }) => {
    test.setTimeout(120_000);
    server = await startProsody({ domain: DOMAIN, proxy65: true, httpFileShare: true });
    await server.registerMany([
      { user: 'alice', pass: 'alice-pass' },
      { user: 'bob', pass: 'bob-pass' },
    ]);
    await server.writeRoster('alice', [{ jid: BOB }]);
    await server.writeRoster('bob', [{ jid: ALICE }]);
    aliceDownloads = makeTempDir('e2e-dl-alice');
    bobDownloads = makeTempDir('e2e-dl-bob');
    dirs.push(aliceDownloads, bobDownloads);
    [alice, bob] = await Promise.all([
      openUser(browser, server, { env: { FLINT_DOWNLOAD_DIR: aliceDownloads } }),
      openUser(browser, server, { env: { FLINT_DOWNLOAD_DIR: bobDownloads } }),
    ]);
  });

  test.afterEach(() => attachLogsOnFailure({ alice, bob }));

  test.afterAll(async () => {
    const testInfo = test.info();
    try {
      await Promise.all([closeUser(alice, testInfo, 'alice'), closeUser(bob, testInfo, 'bob')]);
    } finally {
      await server?.stop({ graceful: false });
      for (const d of dirs) removeTempDir(d);
    }
  });

  test('both sign in and open the conversation', async () => {
    await signIn(alice.page, alice.app.url, { jid: ALICE, password: 'alice-pass', host: '127.0.0.1', port: server.c2sPort });
    await signIn(bob.page, bob.app.url, { jid: BOB, password: 'bob-pass', host: '127.0.0.1', port: server.c2sPort });
    await expect(contactRow(alice.page, BOB, 'Available')).toBeVisible({ timeout: 20_000 });
    await expect(contactRow(bob.page, ALICE, 'Available')).toBeVisible({ timeout: 20_000 });
    await contactRow(alice.page, BOB).dblclick();
    await contactRow(bob.page, ALICE).dblclick();
    await expect(chatPanel(alice.page, BOB)).toBeVisible();
    await expect(chatPanel(bob.page, ALICE)).toBeVisible();
  });

  test('a dropped file is confirmed, offered, accepted, and arrives byte-identical', async () => {
    const file: PageFile = { name: 'random-3mib.bin', mimeType: 'application/octet-stream', bytes: randomBytes(3 * 1024 * 1024 + 4321) };
    await dropFiles(alice.page, BOB, [file]);

    const confirm = alice.page.getByRole('dialog', { name: `Send a file to ${BOB}` });
    await expect(confirm).toBeVisible();
    const listed = confirm.getByRole('list', { name: 'Files to send' }).getByRole('listitem');
    await expect(listed).toHaveCount(1);
    await expect(listed).toContainText(file.name);
    await expect(listed).toContainText('3.2 MB');
    await expect(confirm.getByRole('combobox', { name: 'Send by' })).toHaveValue('auto');
    await expect(confirm.getByRole('button', { name: 'Send', exact: true })).toBeFocused();
    await shot(alice.page, 'transfer-send-confirm');
    await confirm.getByRole('textbox', { name: 'Description' }).fill('The numbers you asked for');
    await confirm.getByRole('button', { name: 'Send', exact: true }).click();
    await expect(confirm).toBeHidden();

    // Alice's card: prepared, then offered and waiting for Bob.
    const aliceCard = card(alice.page, BOB, file.name);
    await expect(aliceCard).toContainText(`Waiting for ${BOB} to accept`, { timeout: 20_000 });

    // Bob: the offer names the sender, the file, its size and type; nothing is written yet.
    const offer = card(bob.page, ALICE, file.name);
    await expect(offer).toContainText(`${ALICE} wants to send you a file`, { timeout: 20_000 });
    await expect(offer).toContainText('3.2 MB');
    await expect(offer).toContainText('The numbers you asked for');
    await expect(offer.getByRole('button', { name: `Accept ${file.name}` })).toBeVisible();
    await expect(offer.getByRole('button', { name: `Save as… ${file.name}` })).toBeVisible();
    await expect(offer.getByRole('button', { name: `Decline ${file.name}` })).toBeVisible();
    expect(fs.readdirSync(bobDownloads)).toEqual([]);
    // The toolbar button counts the offer.
    await expect(bob.page.getByRole('button', { name: /^File transfers, 1 file waiting for you/ })).toBeVisible();
    await shot(bob.page, 'transfer-offer-card');

    // Alice watches in the transfers panel while Bob accepts.
    await alice.page.getByRole('button', { name: /^File transfers/ }).click();
    const alicePanel = alice.page.getByRole('region', { name: 'File transfers' });
    await expect(alicePanel.getByRole('listitem').filter({ hasText: file.name })).toContainText('Waiting for');
    await shot(alice.page, 'transfer-panel-waiting');

    await offer.getByRole('button', { name: `Accept ${file.name}` }).click();
    const bar = offer.getByRole('progressbar', { name: `Receiving ${file.name}` });
    await expect(bar).toBeVisible();
    await expect(bar).toHaveAttribute('aria-valuemax', '100');
    await expect(bar).toHaveAttribute('aria-valuenow', '100', { timeout: 30_000 });
    await expect(offer).toContainText(`Received from ${ALICE}`);
    await expect(offer).toContainText(/via (Jingle|Stream Initiation|HTTP upload)/);
    await expect(offer).toContainText(`Saved to ${path.join(bobDownloads, file.name)}`);
    await expect(offer.getByRole('button', { name: `Open ${file.name}` })).toBeVisible();
    await expect(aliceCard).toContainText(`Sent to ${BOB}`, { timeout: 20_000 });
    await expect(aliceCard.getByRole('progressbar', { name: `Sending ${file.name}` })).toHaveAttribute('aria-valuenow', '100');
    await expect(alicePanel.getByRole('listitem').filter({ hasText: file.name })).toContainText(`Sent to ${BOB}`);
    await shot(alice.page, 'transfer-panel-done');
    await shot(bob.page, 'transfer-received');

    const got = await waitForFile(path.join(bobDownloads, file.name), file.bytes.length);
    expect(sha256(got)).toBe(sha256(file.bytes));

    // "Show in folder" goes to the desktop (logged only, in tests).
    await offer.getByRole('button', { name: `Show in folder ${file.name}` }).click();
    await expect.poll(() => bob.app.log()).toContain('transfer.showInFolder');
    await alice.page.getByRole('button', { name: 'Close file transfers' }).click();
    await expect(alicePanel).toBeHidden();
    await expect(alice.page.getByRole('button', { name: /^File transfers/ })).toBeFocused();
  });

  test('"Send file" picks files in the page; Bob declines and Alice is told', async () => {
    const bytes = randomBytes(200_000);
    const chooser = alice.page.waitForEvent('filechooser');
    await chatPanel(alice.page, BOB).getByRole('button', { name: 'Send file' }).click();
    await (await chooser).setFiles([{ name: 'not-wanted.pdf', mimeType: 'application/pdf', buffer: bytes }]);
    const confirm = alice.page.getByRole('dialog', { name: `Send a file to ${BOB}` });
    await expect(confirm.getByRole('listitem')).toContainText('200 kB');
    await confirm.getByRole('button', { name: 'Send', exact: true }).click();

    const offer = card(bob.page, ALICE, 'not-wanted.pdf');
    await expect(offer).toContainText('PDF document (application/pdf)', { timeout: 20_000 });
    await offer.getByRole('button', { name: 'Decline not-wanted.pdf' }).click();
    await expect(offer).toContainText(`You declined the file from ${ALICE}`);
    await expect(card(alice.page, BOB, 'not-wanted.pdf')).toContainText(`${BOB} declined the file`, { timeout: 20_000 });
    expect(fs.existsSync(path.join(bobDownloads, 'not-wanted.pdf'))).toBe(false);
  });

  test('a pasted screenshot gets a dated name; Bob saves it as… another name in another folder', async () => {
    const png = gradientPng(64, 48);
    const composer = alice.page.getByRole('textbox', { name: 'Message', exact: true });
    await composer.click();
    await composer.evaluate((el, base64) => {
      const bin = atob(base64);
      const bytes = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      const dt = new DataTransfer();
      dt.items.add(new File([bytes], 'image.png', { type: 'image/png' }));
      el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
    }, png.toString('base64'));
    const confirm = alice.page.getByRole('dialog', { name: `Send a file to ${BOB}` });
    const item = confirm.getByRole('listitem');
    await expect(item).toContainText(/^Pasted image \d{4}-\d{2}-\d{2} \d{2}\.\d{2}\.png/);
    const pastedName = (await item.locator('.send-files__name').textContent())!;
    // Nothing was typed into the message box.
    await expect(composer).toHaveValue('');
    await confirm.getByRole('button', { name: 'Send', exact: true }).click();

    const offer = card(bob.page, ALICE, pastedName);
    await expect(offer).toContainText('Image (image/png)', { timeout: 20_000 });
    await offer.getByRole('button', { name: `Save as… ${pastedName}` }).click();
    const saveAs = bob.page.getByRole('dialog', { name: 'Save file as' });
    await expect(saveAs.getByRole('textbox', { name: 'Folder' })).toHaveValue(bobDownloads);
    await expect(saveAs.getByRole('textbox', { name: 'File name' })).toHaveValue(pastedName);
    const elsewhere = makeTempDir('e2e-saveas');
    dirs.push(elsewhere);
    // A folder that does not exist is refused by main, and the dialog says so.
    await saveAs.getByRole('textbox', { name: 'Folder' }).fill(path.join(elsewhere, 'missing'));
    await saveAs.getByRole('textbox', { name: 'File name' }).fill('gradient.png');
    await saveAs.getByRole('button', { name: 'Save' }).click();
    await expect(saveAs.getByRole('alert')).toBeVisible();
    await saveAs.getByRole('textbox', { name: 'Folder' }).fill(elsewhere);
    await saveAs.getByRole('button', { name: 'Save' }).click();
    await expect(saveAs).toBeHidden();
    // The card now names the file as it was saved.
    const saved = card(bob.page, ALICE, 'gradient.png');
    await expect(saved).toContainText(`Received from ${ALICE}`, { timeout: 30_000 });
    await expect(saved).toContainText(`Saved to ${path.join(elsewhere, 'gradient.png')}`);
    const got = await waitForFile(path.join(elsewhere, 'gradient.png'), png.length);
    expect(sha256(got)).toBe(sha256(png));
    expect(fs.existsSync(path.join(bobDownloads, pastedName))).toBe(false);
  });

  test('a big file can be cancelled while it is being prepared; nothing reaches Bob', async () => {
    // 64 MiB made inside the page (no need to carry it over from the test).
    const dataTransfer = await alice.page.evaluateHandle(() => {
      const bytes = new Uint8Array(64 * 1024 * 1024);
      for (let i = 0; i < bytes.length; i += 65536) crypto.getRandomValues(bytes.subarray(i, i + 65536));
      const dt = new DataTransfer();
      dt.items.add(new File([bytes], 'big-64mib.bin', { type: 'application/octet-stream' }));
      return dt;
    });
    const target = chatPanel(alice.page, BOB);
    await target.dispatchEvent('dragenter', { dataTransfer });
    await target.dispatchEvent('dragover', { dataTransfer });
    await shot(alice.page, 'transfer-drop-target');
    await target.dispatchEvent('drop', { dataTransfer });
    await alice.page.getByRole('dialog', { name: `Send a file to ${BOB}` }).getByRole('button', { name: 'Send', exact: true }).click();
    const preparing = card(alice.page, BOB, 'big-64mib.bin');
    await expect(preparing.getByRole('progressbar', { name: 'Preparing big-64mib.bin' })).toBeVisible();
    await expect(preparing).toContainText(`Preparing to send to ${BOB}`);
    await shot(alice.page, 'transfer-preparing');
    await preparing.getByRole('button', { name: 'Cancel big-64mib.bin' }).click();
    await expect(preparing).toHaveCount(0);
    await dataTransfer.dispose();
    // Give an offer that should not exist a moment to show up.
    await bob.page.waitForTimeout(1000);
    await expect(card(bob.page, ALICE, 'big-64mib.bin')).toHaveCount(0);
  });

  test('the transfers panel lists everything, newest first, and clears what is finished', async () => {
    await bob.page.getByRole('button', { name: /^File transfers/ }).click();
    const panel = bob.page.getByRole('region', { name: 'File transfers' });
    await expect(panel.getByRole('heading', { name: 'File transfers' })).toBeFocused();
    const items = panel.getByRole('list', { name: 'Transfers' }).getByRole('listitem');
    await expect(items).toHaveCount(3);
    await expect(items.nth(0)).toContainText('gradient.png');
    await expect(items.nth(1)).toContainText('not-wanted.pdf');
    await expect(items.nth(2)).toContainText('random-3mib.bin');
    await shot(bob.page, 'transfer-panel-list');
    await panel.getByRole('button', { name: 'Clear finished' }).click();
    await expect(panel.getByText(/No file transfers yet/)).toBeVisible();
    await expect(panel.getByRole('button', { name: 'Clear finished' })).toBeDisabled();
    // Escape closes the panel and focus goes back to its button.
    await bob.page.keyboard.press('Escape');
    await expect(panel).toBeHidden();
    await expect(bob.page.getByRole('button', { name: /^File transfers/ })).toBeFocused();
  });

  test('Settings shows the download folder; a typed one is checked by main', async () => {
    await bob.page.getByRole('button', { name: 'Account' }).click();
    await bob.page.getByRole('button', { name: 'Settings' }).click();
    const settings = bob.page.getByRole('dialog', { name: 'Settings' });
    await expect(settings.getByRole('textbox', { name: 'Download folder', exact: true })).toHaveValue(bobDownloads);
    await settings.getByRole('button', { name: 'Change…' }).click();
    const field = settings.getByRole('textbox', { name: 'New download folder' });
    await expect(field).toBeFocused();
    await field.fill('not/absolute');
    await settings.getByRole('button', { name: 'Use this folder' }).click();
    await expect(field).toHaveAttribute('aria-invalid', 'true');
    const next = makeTempDir('e2e-dl-bob2');
    dirs.push(next);
    await field.fill(next);
    await field.press('Enter');
    await expect(settings.getByRole('textbox', { name: 'Download folder', exact: true })).toHaveValue(next);
    await expect(settings.getByRole('button', { name: 'Change…' })).toBeFocused();
    await shot(bob.page, 'transfer-settings');
    await settings.getByRole('button', { name: 'Close' }).click();
  });
});
