// The chat warm-up's render, as the server renderer produces it (no DOM here): hidden from sight,
// from assistive technology and from input, no message log, nothing asked of main, the store
// untouched. Its schedule is in warm-up-run.test.ts; the page's side of it (the warm-up comes and
// goes without a command to main, and never when a conversation opened first) in
// e2e/chat-warm-up.spec.ts.
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider } from 'react-i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FlintApi } from '../../../shared/ipc/contract';
import { Session } from '../app/session';
import { SessionContext } from '../app/session-context';
import { initI18n, i18next } from '../../i18n';
import { getState } from '../../store/store';
import { PAGE_SIZE } from './chat-actions';
import { ChatWarmUp, WARM_UP_PEER, warmUpMessages } from './warm-up';
import type { WarmUpStep } from './warm-up-run';

const invoked: string[] = [];
const api = {
  invoke: (name: string) => {
    invoked.push(name);
    return Promise.reject(new Error(`unexpected ${name}`));
  },
  onEvents: () => () => {},
  onTransport: () => () => {},
} as unknown as ConstructorParameters<typeof Session>[0] & Pick<FlintApi, 'invoke'>;
const session = new Session(api);

function render(step: WarmUpStep): string {
  return renderToStaticMarkup(
    <I18nextProvider i18n={i18next}>
      <SessionContext.Provider value={session}>
        <ChatWarmUp step={step} />
      </SessionContext.Provider>
    </I18nextProvider>,
  );
}

const count = (html: string, re: RegExp) => html.match(re)?.length ?? 0;

beforeAll(async () => {
  await initI18n('en');
});

describe('ChatWarmUp', () => {
  it('is hidden from sight, from assistive technology and from input, and out of the flow', () => {
    const html = render({ round: 0, stage: 'messages' });
    const root = /^<div class="chat-warm-up" style="([^"]*)"([^>]*)>/.exec(html);
    expect(root).not.toBeNull();
    const [, style, attrs] = root!;
    expect(style).toContain('visibility:hidden');
    expect(style).toContain('position:fixed');
    expect(style).toContain('contain:strict');
    expect(style).toContain('pointer-events:none');
    expect(attrs).toContain('aria-hidden="true"');
    expect(attrs).toMatch(/\binert=""/);
  });

  it('holds a page of messages in the real list, all of it under a root hidden from screen readers', () => {
    const html = render({ round: 2, stage: 'messages' });
    expect(count(html, /<li id="msg-[^"]*" class="msg /g)).toBe(PAGE_SIZE);
    // The first round, a few: it compiles and looks fonts up, which costs most.
    expect(count(render({ round: 0, stage: 'messages' }), /<li id="msg-[^"]*" class="msg /g)).toBe(10);
    expect(html).toContain('class="messages__list"');
    expect(html).toContain('class="messages__day"');
    // The real MessageList (its log too) — under the root, which is hidden from screen readers and inert.
    expect(html).toContain('role="log"');
    expect(html).toMatch(/^<div class="chat-warm-up" style="[^"]*visibility:hidden[^"]*" aria-hidden="true" inert="">/);
    // The real panel around it: tabs, header, composer, all under the hidden root.
    expect(html).toContain('role="tablist"');
    expect(html).toContain('class="composer');
  });

  it('before its messages: the panel of an opening conversation, no message yet', () => {
    const html = render({ round: 0, stage: 'panel' });
    expect(count(html, /class="msg /g)).toBe(0);
    expect(html).toContain('class="composer');
  });

  it('asks nothing of main and leaves the store as it was', () => {
    invoked.length = 0;
    const before = getState();
    render({ round: 0, stage: 'panel' });
    render({ round: 0, stage: 'messages' });
    expect(invoked).toEqual([]);
    expect(getState()).toBe(before);
    expect(getState().conversations.byPeer[WARM_UP_PEER]).toBeUndefined();
    expect(getState().conversations.tabs).not.toContain(WARM_UP_PEER);
  });
});

describe('warmUpMessages', () => {
  it('a page of both directions, oldest first, ending now, for a peer no contact can be', () => {
    const now = Date.UTC(2025, 5, 1, 12);
    const list = warmUpMessages(now);
    expect(list).toHaveLength(PAGE_SIZE);
    expect(WARM_UP_PEER.endsWith('.invalid')).toBe(true);
    expect(new Set(list.map((m) => m.id)).size).toBe(list.length);
    for (const m of list) expect(m.peer).toBe(WARM_UP_PEER);
    expect(new Set(list.map((m) => m.direction))).toEqual(new Set(['in', 'out']));
    // Each state that shows an icon on our messages; none failed (a failed one offers Retry).
    expect(new Set(list.filter((m) => m.direction === 'out').map((m) => m.state))).toEqual(new Set(['pending', 'sent', 'delivered']));
    for (let i = 1; i < list.length; i++) expect(list[i]!.timestamp).toBeGreaterThan(list[i - 1]!.timestamp);
    expect(list.at(-1)!.timestamp).toBeLessThan(now);
    // Spans a day boundary: the list shows a day separator between them.
    expect(now - list[0]!.timestamp).toBeGreaterThan(86_400_000);
    // A few, with the same variety.
    const few = warmUpMessages(now, 10);
    expect(few).toHaveLength(10);
    expect(new Set(few.map((m) => m.body)).size).toBeGreaterThanOrEqual(8);
    expect(new Set(few.filter((m) => m.direction === 'out').map((m) => m.state))).toEqual(new Set(['pending', 'sent', 'delivered']));
  });
});
