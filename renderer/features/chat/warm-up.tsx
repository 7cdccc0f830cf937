// Issue 5: the first conversation opened after sign-in took 70–100 ms to paint its newest page,
// later ones ≈ 40 (bench/history/open-browser.mjs). Traces of that first open put the difference in
// one-time work of the page: compiling the conversation's code on first use (panel, composer,
// message items, styling, links), running it with cold inline caches, V8 optimizing the hot code
// (React's reconciler, the items) on background threads that take a core from the open on a
// two-core machine, and the first layout of the panel (its first style, fonts looked up).
//
// So once signed in, when the page is idle and no conversation is open yet, the conversation area
// is rendered where nothing can see it — the real Tabs, ConversationPanel and MessageList with a
// page of sample messages, laid out (the list's own scroll to the bottom) but hidden: visibility
// hidden, aria-hidden, inert, fixed out of the flow — a few times, then taken away. The list is
// given the sample (MessageList `sample`), which turns off its requests and updates: no
// history.page, no displayed marker, no store change (the reducers that would take the page run on
// a copy of the state, which is dropped). The peer is a JID
// no contact can have (.invalid, RFC 2606), so nothing keyed by peer (avatar, presence, drafts,
// typing) finds anything to ask for. One step per idle period (warm-up-run.ts); none once a
// conversation opens, which then pays for itself as before.
import { useEffect, useMemo, useState, type CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChatMessage } from '../../../shared/domain';
import type { CommandResult } from '../../../shared/ipc/contract';
import { Tabs } from '../../ui/tabs';
import { action } from '../../store/actions';
import { applyAll } from '../../store/root';
import { getState, useFlint } from '../../store/store';
import { PAGE_SIZE } from './chat-actions';
import { ConversationPanel, conversationTab, panelDomId, tabDomId } from './chat-area';
import { browserIdle, WarmUpRun, type WarmUpStep } from './warm-up-run';

export const WARM_UP_PEER = 'warm-up@flint.invalid';
const WARM_UP_NAME = 'Flint';
/** A User Timing measure over the whole warm-up (its stages and the idle time between them). */
export const WARM_UP_MEASURE = 'flint:chat-warm-up';

/**
 * Laid out, never painted, never hit: visibility:hidden still lays out (display:none would not).
 * Fixed and contained, so nothing in the page moves or scrolls because of it.
 */
const HIDDEN: CSSProperties = {
  position: 'fixed',
  inset: 0,
  display: 'flex',
  flexDirection: 'column',
  visibility: 'hidden',
  pointerEvents: 'none',
  contain: 'strict',
  overflow: 'hidden',
};

const noop = () => {};

/** Sample text with what a conversation commonly holds: English, Chinese, XEP-0393 styling, a link, emoji. */
const BODIES = [
  'Are we still on for the review tomorrow?',
  'Yes, at 10:30 after the standup. I will send the agenda before then.',
  'The *build* is green again: the _flaky_ test was `retry()` in the client.',
  '好的，明天上午的会议我们再讨论一下数据库的问题。',
  'Release notes are at https://example.org/flint/releases — please check the migration part.',
  '谢谢！今天的测试已经通过了 👍',
  'Sounds good, thanks!',
  '> is the cache warm?\nIt is now.',
];
/**
 * The first round shows a few messages (each sample once): it compiles the code and looks the
 * fonts up, ≈ 40–50 ms with a whole page, too long for one idle period. Later rounds show a page.
 */
const FIRST_ROUND_MESSAGES = 10;

/** A message as history.page returns it. */
type PageMessage = CommandResult<'history.page'>['messages'][number];

/**
 * `count` sample messages ending at `now`, as history.page returns them (with their cursors): both
 * directions, runs from one sender (named once), a pause that names the sender again, a day
 * before, our own in each state that shows an icon.
 */
export function warmUpMessages(now: number, count: number = PAGE_SIZE): PageMessage[] {
  const out: PageMessage[] = [];
  const ours = (i: number) => i % 3 === 1;
  let lastOwn = count - 1;
  while (lastOwn > 0 && !ours(lastOwn)) lastOwn--;
  for (let i = 0; i < count; i++) {
    const own = ours(i);
    // The first third the day before; then a minute apart, with a 10-minute pause halfway.
    const timestamp = now - (count - i) * 60_000 - (i < count / 3 ? 86_400_000 : 0) - (i < count / 2 ? 600_000 : 0);
    out.push({
      id: `warm-up-${i}`,
      peer: WARM_UP_PEER,
      from: own ? 'me@flint.invalid' : WARM_UP_PEER,
      to: own ? WARM_UP_PEER : 'me@flint.invalid',
      direction: own ? 'out' : 'in',
      type: 'chat',
      body: BODIES[i % BODIES.length]!,
      timestamp,
      // Our newest still on its way, the one before it sent, the rest delivered.
      state: !own || i < lastOwn - 3 ? 'delivered' : i === lastOwn ? 'pending' : 'sent',
      cursor: `${timestamp}:${i + 1}`,
    });
  }
  return out;
}

const NO_MESSAGES: readonly ChatMessage[] = [];

/**
 * The messages the store would show after the conversation opened and its newest page came in:
 * the reducers are pure, so this runs them on a copy of the state, which is then dropped — the
 * store itself never sees the sample (and their code is warm for the first real page). The page
 * goes through JSON as main's answer does: its objects get the shape the real ones will have, so
 * what V8 optimizes here still fits them (and is not thrown away in the first open).
 */
function openedWith(sample: PageMessage[]): readonly ChatMessage[] {
  const page = JSON.parse(JSON.stringify(sample)) as PageMessage[];
  const after = applyAll(getState(), [
    action('local.chatOpened', { peer: WARM_UP_PEER }),
    action('local.pageLoaded', { peer: WARM_UP_PEER, messages: page, latest: true, older: page[0]!.cursor }),
  ]);
  return after.conversations.byPeer[WARM_UP_PEER]?.messages ?? page;
}

/**
 * The conversation area as a first open shows it, hidden: stage 'panel' before its messages are
 * in, then 'messages'. Each round mounts it anew, as each open does.
 */
export function ChatWarmUp({ step }: { step: WarmUpStep }) {
  return <WarmUpArea key={step.round} messages={step.stage === 'messages' ? (step.round === 0 ? FIRST_ROUND_MESSAGES : PAGE_SIZE) : 0} />;
}

function WarmUpArea({ messages: count }: { messages: number }) {
  const { t } = useTranslation();
  const messages = useMemo(() => (count > 0 ? openedWith(warmUpMessages(Date.now(), count)) : NO_MESSAGES), [count]);
  const tabs = [conversationTab(t, WARM_UP_PEER, WARM_UP_NAME, 0)];
  return (
    <div className="chat-warm-up" style={HIDDEN} aria-hidden="true" inert>
      <section className="chat">
        <Tabs label={t('chat.tabs')} items={tabs} activeId={WARM_UP_PEER} onSelect={noop} onClose={noop} tabDomId={tabDomId} panelDomId={panelDomId} />
        <ConversationPanel peer={WARM_UP_PEER} name={WARM_UP_NAME} sample={messages} />
      </section>
    </div>
  );
}

/** Whether this page has warmed the chat up already (or a conversation opened first): at most once per page. */
let warmedUp = false;

/**
 * Mounted with the signed-in view: warms the chat up (ChatWarmUp) while no conversation is open,
 * once per page.
 */
export function ChatWarmUpHost() {
  const noChat = useFlint((s) => s.conversations.tabs.length === 0);
  const [step, setStep] = useState<WarmUpStep | null>(null);
  useEffect(() => {
    if (warmedUp) return;
    if (!noChat) {
      // A conversation opened first: the warm-up is too late to help.
      warmedUp = true;
      return;
    }
    const started = performance.now();
    const run = new WarmUpRun(browserIdle, setStep, () => {
      warmedUp = true;
      performance.measure(WARM_UP_MEASURE, { start: started, end: performance.now() });
    });
    run.start();
    return () => {
      run.cancel();
      setStep(null);
    };
  }, [noChat]);
  return noChat && step ? <ChatWarmUp step={step} /> : null;
}
