// Profile slice (issue 4): who is blocked (XEP-0191), which avatar each contact announced
// (XEP-0084 / XEP-0153 hash) and its image once main handed it over (a data: URL — images never
// come from anywhere else), and the auto-away settings main keeps. Rows select
// `avatarUrl[jid]` / `blocked[jid]`, so one contact's change re-renders one row.
import { DEFAULT_AUTO_AWAY, type AutoAwaySettings } from '../../shared/ipc/profile-contract';
import type { Action } from './actions';
import { nullProto } from './records';

export interface AvatarImage {
  /** The hash this image is of (an image for an older hash is never shown). */
  hash: string;
  url: string;
}

export interface ProfileSlice {
  blocked: Readonly<Record<string, true>>;
  /** Bare JID → announced avatar hash. */
  avatarHash: Readonly<Record<string, string>>;
  /** Bare JID → its image, once fetched; only while it matches avatarHash. */
  avatarUrl: Readonly<Record<string, AvatarImage>>;
  autoAway: AutoAwaySettings;
}

export const emptyProfile: ProfileSlice = { blocked: {}, avatarHash: {}, avatarUrl: {}, autoAway: DEFAULT_AUTO_AWAY };

function announce(s: ProfileSlice, changes: readonly { jid: string; hash: string | null }[]): ProfileSlice {
  let hashes: Record<string, string> | undefined;
  let urls: Record<string, AvatarImage> | undefined;
  for (const { jid, hash } of changes) {
    if ((hash === null && !(jid in (hashes ?? s.avatarHash))) || (hashes ?? s.avatarHash)[jid] === hash) continue;
    hashes ??= nullProto(s.avatarHash);
    if (hash === null) delete hashes[jid];
    else hashes[jid] = hash;
    const img = (urls ?? s.avatarUrl)[jid];
    if (img && img.hash !== hash) delete (urls ??= nullProto(s.avatarUrl))[jid];
  }
  if (!hashes) return s;
  return { ...s, avatarHash: hashes, avatarUrl: urls ?? s.avatarUrl };
}

function setImage(s: ProfileSlice, jid: string, hash: string, url: string | null): ProfileSlice {
  const current = s.avatarUrl[jid];
  if (url === null) {
    if (!current) return s;
    const urls = nullProto(s.avatarUrl);
    delete urls[jid];
    return { ...s, avatarUrl: urls };
  }
  if (current?.hash === hash && current.url === url) return s;
  const urls = nullProto(s.avatarUrl);
  urls[jid] = { hash, url };
  return { ...s, avatarUrl: urls };
}

export function applyProfile(s: ProfileSlice, a: Action): ProfileSlice {
  switch (a.name) {
    case 'blocklist.changed': {
      const { blocked, unblocked, replace } = a.payload;
      const next = replace ? (Object.create(null) as Record<string, true>) : nullProto(s.blocked);
      for (const j of unblocked) delete next[j];
      for (const j of blocked) next[j] = true;
      return { ...s, blocked: next };
    }
    case 'avatar.changed':
      return announce(s, [{ jid: a.payload.jid, hash: a.payload.hash }]);
    case 'local.avatarsChanged':
      return announce(s, a.payload.changes);
    case 'avatar.updated': {
      const { jid, hash, dataUrl } = a.payload;
      const announced = announce(s, [{ jid, hash }]);
      return hash === null ? announced : setImage(announced, jid, hash, dataUrl);
    }
    case 'local.avatarLoaded': {
      const { jid, hash, dataUrl } = a.payload;
      // An answer for a hash the contact no longer has is dropped.
      if (s.avatarHash[jid] !== hash) return s;
      return setImage(s, jid, hash, dataUrl);
    }
    case 'local.autoAwayChanged':
      return { ...s, autoAway: a.payload.settings };
    case 'local.hydrated': {
      const p = a.payload.snapshot.profile;
      const blocked = Object.create(null) as Record<string, true>;
      for (const j of p.blocked) blocked[j] = true;
      const avatarHash = nullProto(p.avatars);
      // Images already here stay when their hash is still the one announced (a resync after the bridge dropped).
      const avatarUrl = Object.create(null) as Record<string, AvatarImage>;
      for (const jid in s.avatarUrl) if (avatarHash[jid] === s.avatarUrl[jid]!.hash) avatarUrl[jid] = s.avatarUrl[jid]!;
      return { blocked, avatarHash, avatarUrl, autoAway: p.autoAway };
    }
    case 'local.loggedOut':
      return { ...emptyProfile, autoAway: s.autoAway };
    default:
      return s;
  }
}
