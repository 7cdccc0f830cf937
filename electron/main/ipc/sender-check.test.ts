import { describe, expect, it } from 'vitest';
import { isAppDocument, isTrustedSender } from './sender-check';

const APP = 'file:///opt/Flint/resources/app.asar/dist/renderer/index.html';

describe('isAppDocument', () => {
  it.each([APP, `${APP}#/chat/bob@example.test`, `${APP}?x=1`])('accepts %s', (u) => {
    expect(isAppDocument(u, APP)).toBe(true);
  });

  it.each([
    'file:///opt/Flint/resources/app.asar/dist/renderer/other.html',
    'file:///etc/passwd',
    'file:///opt/Flint/resources/app.asar/dist/renderer/index.html/..',
    'file://evil-host/opt/Flint/resources/app.asar/dist/renderer/index.html',
    'https://evil.example/opt/Flint/resources/app.asar/dist/renderer/index.html',
    'http://127.0.0.1:5780/',
    'about:blank',
    'devtools://devtools/bundled/inspector.html',
    '',
    'not a url',
    null,
    undefined,
  ])('refuses %j', (u) => {
    expect(isAppDocument(u, APP)).toBe(false);
  });
});

describe('isTrustedSender', () => {
  const main = { processId: 7, routingId: 1, url: APP };
  const win = { webContentsId: 3, mainFrame: main };

  it('accepts the main frame of our window showing our page', () => {
    expect(isTrustedSender({ senderId: 3, frame: { ...main } }, win, APP)).toBe(true);
  });

  it.each([
    ['another web contents', { senderId: 4, frame: main }],
    ['a sub-frame', { senderId: 3, frame: { ...main, routingId: 2 } }],
    ['another process', { senderId: 3, frame: { ...main, processId: 8 } }],
    ['a frame that navigated away', { senderId: 3, frame: { ...main, url: 'https://evil.example/' } }],
    ['a destroyed frame', { senderId: 3, frame: null }],
  ])('refuses %s', (_label, sender) => {
    expect(isTrustedSender(sender, win, APP)).toBe(false);
  });

  it('refuses everything when there is no window', () => {
    expect(isTrustedSender({ senderId: 3, frame: main }, null, APP)).toBe(false);
  });
});
