import { describe, expect, it } from 'vitest';
import { failureText, runAction } from './dialog-action';

/** Records every state change in order, as the dialog would see them. */
function recorder() {
  const log: string[] = [];
  return {
    log,
    state: {
      setBusy: (busy: boolean) => log.push(`busy:${busy}`),
      setError: (message: string | null) => log.push(`error:${message}`),
    },
  };
}

const describeFailure = (detail: string) => `could not: ${detail}`;

describe('runAction', () => {
  it('is busy while the command runs and clears the error line first', async () => {
    const { log, state } = recorder();
    let settle!: () => void;
    const done = runAction(() => new Promise<void>((resolve) => (settle = resolve)), state, describeFailure);
    expect(log).toEqual(['busy:true', 'error:null']);
    settle();
    expect(await done).toBe(true);
    expect(log).toEqual(['busy:true', 'error:null', 'busy:false']);
  });

  it('shows a rejected command on the error line and is no longer busy', async () => {
    const { log, state } = recorder();
    expect(await runAction(() => Promise.reject(new Error('item-not-found')), state, describeFailure)).toBe(false);
    expect(log).toEqual(['busy:true', 'error:null', 'error:could not: item-not-found', 'busy:false']);
  });

  it('leaves busy and the error line alone when a check stops before any command', async () => {
    const { log, state } = recorder();
    expect(await runAction(() => undefined, state, describeFailure)).toBe(true);
    expect(log).toEqual([]);
  });

  it('shows a synchronous throw without becoming busy', async () => {
    const { log, state } = recorder();
    const result = await runAction(
      () => {
        throw new Error('bad');
      },
      state,
      describeFailure,
    );
    expect(result).toBe(false);
    expect(log).toEqual(['error:could not: bad']);
  });

  it('runs a thenable that is not a native promise', async () => {
    const { log, state } = recorder();
    const thenable = { then: (ok: () => void) => ok() };
    expect(await runAction(() => thenable, state, describeFailure)).toBe(true);
    expect(log).toEqual(['busy:true', 'error:null', 'busy:false']);
  });
});

describe('failureText', () => {
  it('takes an Error message, or the thrown value as text', () => {
    expect(failureText(new Error('timeout'), describeFailure)).toBe('could not: timeout');
    expect(failureText('gone', describeFailure)).toBe('could not: gone');
  });
});
