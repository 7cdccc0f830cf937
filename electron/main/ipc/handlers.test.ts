import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commandNames } from '../../../shared/ipc/contract';
import type { CommandName } from '../../../shared/ipc/contract';
import { CommandRejectedError, createHandlers, dispatch } from './handlers';
import { FakeAccount } from './testing/fake-account';
import { PROFILE_VALID } from './testing/profile-valid';
import { TRANSFER_VALID } from './testing/transfer-valid';

// history.saveExport really writes: the fake download folder is a temporary one.
const saveDir = mkdtempSync(path.join(tmpdir(), 'flint-handlers-'));
afterAll(() => rmSync(saveDir, { recursive: true, force: true }));

function setup(confirm?: (url: string) => Promise<boolean>) {
  const account = new FakeAccount();
  account.transfers.folder = saveDir;
  const opened: string[] = [];
  const chats: string[] = [];
  const handlers = createHandlers(account, {
    openExternal: async (url) => {
      opened.push(url);
    },
    ...(confirm ? { confirmOpenExternal: confirm } : {}),
    chatOpened: (jid) => chats.push(jid),
    // Issue 6: native dialogs as the desktop app has them.
    pickFilesToSend: async () => ['/home/me/report.pdf'],
    chooseSavePath: async (name, folder) => `${folder}/${name}`,
    chooseFolder: async () => '/home/me/Pictures',
    openPath: async () => {},
    showItemInFolder: () => {},
  });
  const run = (name: unknown, args: unknown) => dispatch(handlers, name, args, { checkResult: true });
  return { account, opened, chats, handlers, run };
}

const FP = Array.from({ length: 32 }, (_, i) => (i * 7).toString(16).toUpperCase().padStart(2, '0')).join(':');

// One valid call per command, the account method it must reach and the result it must produce.
const valid: { [C in CommandName]: { args: unknown; method: string | string[] | null } } = {
  'app.snapshot': { args: {}, method: 'snapshot' },
  'account.list': { args: {}, method: 'savedAccounts' },
  'account.login': { args: { jid: 'alice@example.test', password: 'pw', remember: false, tlsMode: 'starttls' }, method: 'login' },
  'account.resume': { args: {}, method: 'resume' },
  'account.logout': { args: {}, method: 'logout' },
  'account.reconnectNow': { args: {}, method: 'reconnectNow' },
  'account.trustCertificate': { args: { fingerprint256: FP }, method: 'trustCertificate' },
  'presence.set': { args: { show: 'away', status: 'lunch' }, method: 'setPresence' },
  'chat.send': { args: { to: 'bob@example.test', body: 'hi' }, method: 'sendChat' },
  'chat.open': { args: { jid: 'bob@example.test' }, method: null },
  'chat.retry': { args: { id: '0b9e2c1a-retry' }, method: 'retryChat' },
  'chat.setState': { args: { to: 'bob@example.test', state: 'composing' }, method: 'setChatState' },
  'chat.correct': { args: { id: '0b9e2c1a-last', body: 'fixed' }, method: 'correctChat' },
  'chat.markDisplayed': { args: { peer: 'bob@example.test', id: 'their-7' }, method: 'markDisplayed' },
  'chat.setMuted': { args: { peer: 'bob@example.test', muted: true }, method: 'setMuted' },
  'app.setUnread': { args: { total: 3 }, method: null },
  'history.page': { args: { peer: 'bob@example.test', before: '1700000000000:42', limit: 50 }, method: 'historyPage' },
  'history.search': { args: { query: '数据库 database' }, method: 'searchHistory' },
  'history.export': { args: { peer: 'bob@example.test', format: 'html' }, method: 'exportHistory' },
  'history.saveExport': { args: { peer: 'bob@example.test', format: 'text' }, method: 'exportHistory' },
  'roster.add': { args: { jid: 'bob@example.test', name: 'Bob', groups: ['Friends'] }, method: 'addContact' },
  'roster.remove': { args: { jid: 'bob@example.test' }, method: 'removeContact' },
  'subscription.answer': { args: { jid: 'bob@example.test', accept: true }, method: 'answerSubscription' },
  'link.open': { args: { url: 'https://example.org/' }, method: null },
  // Issue 4 (bad input for these: profile-handlers.test.ts).
  ...PROFILE_VALID,
  // Issue 6 (bad input and behaviour: transfer-handlers.test.ts).
  ...TRANSFER_VALID,
};

describe('history.saveExport', () => {
  it('writes the transcript where the save dialog points, under the suggested name', async () => {
    const { run } = setup();
    await expect(run('history.saveExport', { peer: 'bob@example.test', format: 'html' })).resolves.toBe(true);
    expect(readFileSync(path.join(saveDir, 'flint-bob@example.test.html'), 'utf8')).toBe('Conversation with bob@example.test\n');
  });
  it('writes nothing when the dialog is cancelled, and is refused without native dialogs', async () => {
    const account = new FakeAccount();
    account.transfers.folder = saveDir;
    const cancelled = createHandlers(account, { openExternal: async () => {}, chooseSavePath: async () => null });
    await expect(dispatch(cancelled, 'history.saveExport', { peer: 'carol@example.test', format: 'text' })).resolves.toBe(false);
    expect(() => readFileSync(path.join(saveDir, 'flint-carol@example.test.txt'))).toThrow();
    const browser = createHandlers(account, { openExternal: async () => {} });
    await expect(dispatch(browser, 'history.saveExport', { peer: 'carol@example.test', format: 'text' })).rejects.toThrow(/desktop app/);
  });
});

describe('dispatch: valid commands', () => {
  it.each(commandNames)('%s reaches its handler and returns a result inside the contract', async (name) => {
    const { account, run } = setup();
    const { args, method } = valid[name];
    await expect(run(name, args)).resolves.toBeDefined();
    expect(account.calls.map((c) => c.method)).toEqual(method === null ? [] : Array.isArray(method) ? method : [method]);
  });

  it('account.login builds settings without undefined keys', async () => {
    const { account, run } = setup();
    await run('account.login', { jid: 'alice@example.test', password: 'pw', remember: true, tlsMode: 'directtls', port: 5223 });
    expect(account.calls[0]?.args[0]).toEqual({ settings: { jid: 'alice@example.test', tlsMode: 'directtls', port: 5223 }, password: 'pw', remember: true });
    expect(Object.keys((account.calls[0]?.args[0] as { settings: object }).settings)).toEqual(['jid', 'port', 'tlsMode']);
  });

  it('chat.send returns the message the account created', async () => {
    const { run } = setup();
    const msg = (await run('chat.send', { to: 'bob@example.test', body: 'hello' })) as { body: string; direction: string };
    expect(msg).toMatchObject({ body: 'hello', direction: 'out', peer: 'bob@example.test' });
  });

  it('history.page passes only the cursors given, and history.search its query as typed', async () => {
    const { account, run } = setup();
    await run('history.page', { peer: 'bob@example.test', after: '5:6' });
    await run('history.search', { query: '你好', limit: 20 });
    expect(account.calls.map((c) => c.args)).toEqual([['bob@example.test', { after: '5:6' }], ['你好', 20]]);
  });

  it('chat.correct returns the corrected message; app.setUnread reaches the shell', async () => {
    const totals: number[] = [];
    const account = new FakeAccount();
    const handlers = createHandlers(account, { openExternal: async () => {}, unreadChanged: (n) => totals.push(n) });
    const msg = (await dispatch(handlers, 'chat.correct', { id: 'm1', body: 'fixed' }, { checkResult: true })) as { body: string; correctedAt?: number };
    expect(msg).toMatchObject({ id: 'm1', body: 'fixed', correctedAt: 1_700_000_001_000 });
    await dispatch(handlers, 'app.setUnread', { total: 7 });
    await dispatch(handlers, 'app.setUnread', { total: 0 });
    expect(totals).toEqual([7, 0]);
    expect(account.calls).toEqual([{ method: 'correctChat', args: ['m1', 'fixed'] }]);
  });

  it('chat.open tells the app which conversation is on screen', async () => {
    const { run, chats } = setup();
    await run('chat.open', { jid: 'bob@example.test' });
    expect(chats).toEqual(['bob@example.test']);
  });
});

describe('dispatch: rejected before any handler runs', () => {
  const cases: [string, unknown, unknown, RegExp][] = [
    ['unknown name', 'account.delete', {}, /unknown command/],
    ['prototype name __proto__', '__proto__', {}, /unknown command/],
    ['prototype name constructor', 'constructor', {}, /unknown command/],
    ['prototype name toString', 'toString', {}, /unknown command/],
    ['prototype name hasOwnProperty', 'hasOwnProperty', {}, /unknown command/],
    ['non-string name', 42, {}, /must be a string/],
    ['object name', { toString: () => 'app.snapshot' }, {}, /must be a string/],
    ['wrong type', 'chat.send', { to: 'bob@example.test', body: 5 }, /body/],
    ['missing field', 'chat.send', { to: 'bob@example.test' }, /body/],
    ['empty body', 'chat.send', { to: 'bob@example.test', body: '' }, /body/],
    ['oversized body', 'chat.send', { to: 'bob@example.test', body: 'x'.repeat(4 * 1024 * 1024 + 1) }, /body/],
    ['oversized jid', 'roster.remove', { jid: 'a'.repeat(3072) }, /jid/],
    ['too many groups', 'roster.add', { jid: 'bob@example.test', groups: Array.from({ length: 101 }, (_, i) => `g${i}`) }, /groups/],
    ['bad enum', 'presence.set', { show: 'invisible' }, /show/],
    ['bad fingerprint', 'account.trustCertificate', { fingerprint256: 'ab:cd' }, /fingerprint256/],
    ['port out of range', 'account.login', { jid: 'a@b.c', password: 'p', remember: false, tlsMode: 'starttls', port: 70000 }, /port/],
    ['extra key', 'presence.set', { show: 'away', admin: true }, /admin|unrecognized/i],
    ['extra key on empty args', 'app.snapshot', { x: 1 }, /unrecognized/i],
    ['array instead of object', 'chat.send', ['bob@example.test', 'hi'], /invalid arguments/],
    ['string instead of object', 'account.logout', 'now', /invalid arguments/],
    ['__proto__ pollution', 'presence.set', JSON.parse('{"show":"away","__proto__":{"polluted":true}}'), /__proto__|unrecognized/i],
    ['history cursor that is not one', 'history.page', { peer: 'bob@example.test', before: "1' OR 1=1" }, /before/],
    ['history cursor with a sign', 'history.page', { peer: 'bob@example.test', after: '-1:2' }, /after/],
    ['history page too long', 'history.page', { peer: 'bob@example.test', limit: 501 }, /limit/],
    ['history page of zero', 'history.page', { peer: 'bob@example.test', limit: 0 }, /limit/],
    ['fractional limit', 'history.search', { query: 'x', limit: 1.5 }, /limit/],
    ['empty search', 'history.search', { query: '' }, /query/],
    ['oversized search', 'history.search', { query: 'x'.repeat(1001) }, /query/],
    ['unknown export format', 'history.export', { peer: 'bob@example.test', format: 'pdf' }, /format/],
    ['export without peer', 'history.export', { format: 'text' }, /peer/],
    ['retry without id', 'chat.retry', {}, /id/],
    ['unknown chat state', 'chat.setState', { to: 'bob@example.test', state: 'typing' }, /state/],
    ['chat state without peer', 'chat.setState', { state: 'composing' }, /to/],
    ['empty correction', 'chat.correct', { id: 'x1', body: '' }, /body/],
    ['oversized correction', 'chat.correct', { id: 'x1', body: 'x'.repeat(4 * 1024 * 1024 + 1) }, /body/],
    ['correction without id', 'chat.correct', { body: 'fixed' }, /id/],
    ['marker without id', 'chat.markDisplayed', { peer: 'bob@example.test' }, /id/],
    ['mute that is not a boolean', 'chat.setMuted', { peer: 'bob@example.test', muted: 'yes' }, /muted/],
    ['negative unread', 'app.setUnread', { total: -1 }, /total/],
    ['fractional unread', 'app.setUnread', { total: 1.5 }, /total/],
    ['oversized retry id', 'chat.retry', { id: 'x'.repeat(257) }, /id/],
    ['constructor pollution', 'presence.set', JSON.parse('{"show":"away","constructor":{"prototype":{"polluted":true}}}'), /constructor|unrecognized/i],
  ];

  it.each(cases)('%s', async (_label, name, args, message) => {
    const { account, opened, chats, run } = setup();
    const p = run(name, args);
    await expect(p).rejects.toBeInstanceOf(CommandRejectedError);
    await expect(p).rejects.toThrow(message);
    expect(account.calls).toEqual([]);
    expect(opened).toEqual([]);
    expect(chats).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('dispatch: result check', () => {
  it('refuses a handler result outside the contract', async () => {
    const { account, run } = setup();
    account.state = { ...account.state, connection: { status: 'sleeping' as never } };
    await expect(run('app.snapshot', {})).rejects.toThrow(/outside the contract.*connection\.status/);
  });

  it('handler errors reach the caller unchanged', async () => {
    const { account, run } = setup();
    account.addContact = async () => {
      throw new Error('not connected');
    };
    await expect(run('roster.add', { jid: 'bob@example.test' })).rejects.toThrow('not connected');
  });
});

describe('link.open', () => {
  it.each([
    ['https://example.org/path?q=1#frag', 'https://example.org/path?q=1#frag'],
    ['http://example.org', 'http://example.org/'],
    ['HTTPS://Example.ORG/A', 'https://example.org/A'],
    ['mailto:bob@example.org?subject=hi', 'mailto:bob@example.org?subject=hi'],
  ])('opens %s as %s', async (url, href) => {
    const { opened, run } = setup();
    await expect(run('link.open', { url })).resolves.toBeNull();
    expect(opened).toEqual([href]);
  });

  it.each([
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    ' javascript:alert(1)',
    'java\tscript:alert(1)',
    'file:///etc/passwd',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    'xmpp:bob@example.org',
    'smb://host/share',
    'ms-settings:',
    '/relative/path',
    'example.org',
    'https://user:pass@example.org/',
    'https://bank.example@evil.example/',
    'http://',
  ])('refuses %j', async (url) => {
    const { opened, run } = setup();
    await expect(run('link.open', { url })).rejects.toThrow(/only http:, https: and mailto:/);
    expect(opened).toEqual([]);
  });

  it('does not open when the user declines', async () => {
    const asked: string[] = [];
    const { opened, run } = setup(async (url) => {
      asked.push(url);
      return false;
    });
    await expect(run('link.open', { url: 'https://example.org/' })).resolves.toBeNull();
    expect(asked).toEqual(['https://example.org/']);
    expect(opened).toEqual([]);
  });
});
