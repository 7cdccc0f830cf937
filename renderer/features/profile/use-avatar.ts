// A contact's (or our own) avatar for display: the data: URL main handed over for the hash the
// contact announced. Asked for lazily — only rows on screen ask — and at most once per
// (contact, hash) while it is pending or known; a failed or offline attempt may be retried later.
import { useEffect } from 'react';
import type { RendererApi } from '../../api';
import { action } from '../../store/actions';
import { dispatch, useFlint } from '../../store/store';
import { useSession } from '../app/session-context';

const RETRY_AFTER_MS = 60_000;
/** `jid\nhash` → when it was asked (Infinity: answered with an image). */
const asked = new Map<string, number>();

export function requestAvatar(api: RendererApi, jid: string, hash: string, now = Date.now()): void {
  const key = `${jid}\n${hash}`;
  const at = asked.get(key);
  if (at !== undefined && now - at < RETRY_AFTER_MS) return;
  asked.set(key, now);
  api.invoke('avatar.get', { jid }).then(
    (dataUrl) => {
      if (dataUrl) asked.set(key, Infinity);
      dispatch(action('local.avatarLoaded', { jid, hash, dataUrl }));
    },
    () => {
      // Not connected, or the bridge dropped: asked again after RETRY_AFTER_MS when still shown.
    },
  );
}

/** The avatar image URL to show for `jid`, or undefined (initials then). */
export function useAvatarUrl(jid: string): string | undefined {
  const session = useSession();
  const hash = useFlint((s) => s.profile.avatarHash[jid]);
  const img = useFlint((s) => s.profile.avatarUrl[jid]);
  const current = img && img.hash === hash ? img.url : undefined;
  useEffect(() => {
    if (hash && !current) requestAvatar(session.api, jid, hash);
  }, [session, jid, hash, current]);
  return current;
}
