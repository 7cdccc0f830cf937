// The whole renderer state: one slice per concern, each reduced by its own pure apply().
// A batch of events is folded in one pass, so React sees one update per IPC message.
import type { Action } from './actions';
import { applyConnection, emptyConnection, type ConnectionSlice } from './connection';
import { applyConversations, emptyConversations, type ConversationsSlice } from './conversations';
import { applyPresence, emptyPresence, type PresenceSlice } from './presence';
import { applyRoster, emptyRoster, type RosterSlice } from './roster';
import { applySettings, emptySettings, type SettingsSlice } from './settings';
import { applySubscriptions, emptySubscriptions, type SubscriptionsSlice } from './subscriptions';
// Issue 4.
import { coalesce } from './coalesce';
import { applyProfile, emptyProfile, type ProfileSlice } from './profile';
// Issue 5.
import { applyChatStatus, emptyChatStatus, type ChatStatusSlice } from './chat-status';
// Issue 6.
import { applyTransfers, emptyTransfers, offerOpensTab, type TransfersSlice } from './transfers';

export interface RootState {
  connection: ConnectionSlice;
  roster: RosterSlice;
  presence: PresenceSlice;
  conversations: ConversationsSlice;
  subscriptions: SubscriptionsSlice;
  settings: SettingsSlice;
  /** Issue 4: blocklist, avatars, auto-away settings. */
  profile: ProfileSlice;
  /** Issue 5: typing, displayed markers, muted conversations. */
  chatStatus: ChatStatusSlice;
  /** Issue 6: file transfers, files being staged, transfer settings. */
  transfers: TransfersSlice;
}

export const emptyRoot: RootState = {
  connection: emptyConnection,
  roster: emptyRoster,
  presence: emptyPresence,
  conversations: emptyConversations,
  subscriptions: emptySubscriptions,
  settings: emptySettings,
  profile: emptyProfile,
  chatStatus: emptyChatStatus,
  transfers: emptyTransfers,
};

export function applyRoot(s: RootState, a: Action): RootState {
  const next: RootState = {
    connection: applyConnection(s.connection, a),
    roster: applyRoster(s.roster, a),
    presence: applyPresence(s.presence, a),
    conversations: applyConversations(s.conversations, a),
    subscriptions: applySubscriptions(s.subscriptions, a),
    settings: applySettings(s.settings, a),
    profile: applyProfile(s.profile, a),
    chatStatus: applyChatStatus(s.chatStatus, a),
    transfers: applyTransfers(s.transfers, a),
  };
  // Issue 6: an incoming file offer opens a tab for its sender, as an incoming message does.
  next.conversations = offerOpensTab(next.conversations, a);
  // Keep the root object when no slice changed, so whole-state subscribers stay quiet.
  return (Object.keys(next) as (keyof RootState)[]).every((k) => next[k] === s[k]) ? s : next;
}

export function applyAll(s: RootState, actions: readonly Action[]): RootState {
  let state = s;
  // Runs of presence/avatar events are merged first (coalesce.ts): one map copy per batch.
  for (const a of coalesce(actions)) state = applyRoot(state, a);
  return state;
}
