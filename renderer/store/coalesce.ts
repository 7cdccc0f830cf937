// A batch of events from main is folded action by action; reducers copy the maps they change, so
// N single-contact events in a row would cost N copies of a 10,000-entry map. Runs of presence and
// avatar events are therefore merged first: all presence.changed of a run into one (updates kept
// in order), all avatar.changed into one local.avatarsChanged. The two touch different slices, so
// moving one kind past the other changes nothing; any other action ends the run, keeping the order
// with everything else.
import type { Action } from './actions';

export function coalesce(actions: readonly Action[]): Action[] {
  // Fast path: nothing to merge (the common case for user actions).
  let mergeable = 0;
  for (const a of actions) if (a.name === 'presence.changed' || a.name === 'avatar.changed') mergeable++;
  if (mergeable < 2) return actions as Action[];

  const out: Action[] = [];
  let updates: Extract<Action, { name: 'presence.changed' }>['payload']['updates'] | null = null;
  let avatars: { jid: string; hash: string | null }[] | null = null;
  const flush = () => {
    if (updates) out.push({ name: 'presence.changed', payload: { updates } });
    if (avatars) out.push({ name: 'local.avatarsChanged', payload: { changes: avatars } });
    updates = null;
    avatars = null;
  };
  for (const a of actions) {
    if (a.name === 'presence.changed') (updates ??= []).push(...a.payload.updates);
    else if (a.name === 'avatar.changed') (avatars ??= []).push({ jid: a.payload.jid, hash: a.payload.hash });
    else {
      flush();
      out.push(a);
    }
  }
  flush();
  return out;
}
