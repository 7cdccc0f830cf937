// The state behind a dialog's main action: busy while it runs (so its button cannot send the
// command twice) and the error line when it fails. Every form dialog kept these two by hand.
import { useState } from 'react';
import { errorText } from '../../shared/error-text';

export interface DialogAction {
  busy: boolean;
  error: string | null;
  /** Puts `message` on the error line (null clears it): a refusal or a failure found outside `run`. */
  setError(message: string | null): void;
  /**
   * Calls `action`. When it returns a promise the error line is cleared and the dialog is busy until
   * it settles; a rejection (or a throw) shows on the error line. A plain return is a check that
   * stopped before sending anything (field errors are the caller's), so nothing else changes.
   * Resolves true when the action succeeded.
   */
  run(action: () => unknown): Promise<boolean>;
}

export interface ActionState {
  setBusy(busy: boolean): void;
  setError(message: string | null): void;
}

/** What a thrown value says, in the words of the command that failed. */
export function failureText(err: unknown, describeFailure: (detail: string) => string): string {
  return describeFailure(errorText(err));
}

function isThenable(x: unknown): x is PromiseLike<unknown> {
  return typeof x === 'object' && x !== null && typeof (x as { then?: unknown }).then === 'function';
}

/** `DialogAction.run` apart from React, for tests. */
export async function runAction(action: () => unknown, state: ActionState, describeFailure: (detail: string) => string): Promise<boolean> {
  let result: unknown;
  try {
    result = action();
  } catch (err) {
    state.setError(failureText(err, describeFailure));
    return false;
  }
  if (!isThenable(result)) return true;
  state.setBusy(true);
  state.setError(null);
  try {
    await result;
    return true;
  } catch (err) {
    state.setError(failureText(err, describeFailure));
    return false;
  } finally {
    state.setBusy(false);
  }
}

/** `describeFailure` turns an error's message into the error line (e.g. "Flint could not do that: …"). */
export function useDialogAction(describeFailure: (detail: string) => string): DialogAction {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return { busy, error, setError, run: (action) => runAction(action, { setBusy, setError }, describeFailure) };
}
