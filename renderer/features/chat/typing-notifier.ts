// XEP-0085 §5.1 for our side, debounced: 'composing' on the first keystroke, 'paused' after
// PAUSE_MS without one, 'active' when the message is sent or the box is emptied. Each state is
// sent once per change (main drops repeats too). Timers are injected so tests need no clock.
export const PAUSE_MS = 5_000;

export type OwnChatState = 'active' | 'composing' | 'paused';

export interface TypingTimers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: TypingTimers = { set: (fn, ms) => setTimeout(fn, ms), clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) };

export class TypingNotifier {
  private state: OwnChatState = 'active';
  private timer: unknown;

  constructor(
    private readonly send: (state: OwnChatState) => void,
    private readonly timers: TypingTimers = realTimers,
  ) {}

  /** The composer's text changed (by the user). */
  input(text: string): void {
    this.clearTimer();
    if (text.trim() === '') return this.to('active');
    this.to('composing');
    this.timer = this.timers.set(() => {
      this.timer = undefined;
      this.to('paused');
    }, PAUSE_MS);
  }

  /** The message went out (it carries <active/> itself; this keeps our notion in step). */
  sent(): void {
    this.clearTimer();
    this.to('active');
  }

  /** The conversation closes or the view goes away: a pending 'composing' becomes 'paused'. */
  dispose(): void {
    this.clearTimer();
    if (this.state === 'composing') this.to('paused');
  }

  private to(state: OwnChatState): void {
    if (state === this.state) return;
    this.state = state;
    this.send(state);
  }

  private clearTimer(): void {
    if (this.timer !== undefined) this.timers.clear(this.timer);
    this.timer = undefined;
  }
}
