import { describe, expect, it } from 'vitest';
import { PAUSE_MS, TypingNotifier, type OwnChatState } from './typing-notifier';

function setup() {
  const sent: OwnChatState[] = [];
  const timers: { fn: () => void; ms: number; cleared: boolean }[] = [];
  const n = new TypingNotifier((s) => sent.push(s), {
    set: (fn, ms) => {
      const t = { fn, ms, cleared: false };
      timers.push(t);
      return t;
    },
    clear: (h) => {
      (h as { cleared: boolean }).cleared = true;
    },
  });
  const fire = () => timers.filter((t) => !t.cleared).forEach((t) => ((t.cleared = true), t.fn()));
  return { n, sent, timers, fire };
}

describe('TypingNotifier', () => {
  it('composing once on the first keystroke, paused after idle, composing again on the next key', () => {
    const { n, sent, timers, fire } = setup();
    n.input('h');
    n.input('he');
    n.input('hel');
    expect(sent).toEqual(['composing']);
    expect(timers.at(-1)!.ms).toBe(PAUSE_MS);
    fire();
    expect(sent).toEqual(['composing', 'paused']);
    n.input('hell');
    expect(sent).toEqual(['composing', 'paused', 'composing']);
  });

  it('active when sent or when the box is emptied; nothing for a send without typing', () => {
    const { n, sent, fire } = setup();
    n.sent();
    expect(sent).toEqual([]);
    n.input('x');
    n.sent();
    fire(); // the idle timer was cancelled: no paused after sending
    n.input('y');
    n.input('');
    expect(sent).toEqual(['composing', 'active', 'composing', 'active']);
  });

  it('closing the conversation while composing says paused', () => {
    const { n, sent } = setup();
    n.input('x');
    n.dispose();
    expect(sent).toEqual(['composing', 'paused']);
  });
});
