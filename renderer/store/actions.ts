// Everything a slice reducer can be handed: the events main sends (shared/ipc/contract.ts) and the
// renderer's own actions. Local actions use the same { name, payload } shape so every slice keeps a
// single pure `apply(state, action)`.
import type { AppEvent, Snapshot } from '../../shared/ipc/contract';
import type { ViewPage } from './conversations';
import type { AccountSettings, ChatMessage, Show } from '../../shared/domain';
import type { AutoAwaySettings } from '../../shared/ipc/profile-contract';
import type { TransferSettings } from '../../shared/ipc/transfer-contract';
import type { TransferInfo } from '../../shared/transfer';

export type ThemeChoice = 'system' | 'light' | 'dark';
export type LocaleChoice = 'system' | 'en' | 'zh-CN';
/** Issue 4: how contacts are ordered inside a group. */
export type RosterSort = 'name' | 'presence';

export type LocalAction =
  /** app.snapshot arrived: replace account-derived state with it. */
  | { name: 'local.hydrated'; payload: { snapshot: Snapshot } }
  /** The user pressed Sign in (or a remembered account is being resumed). */
  | { name: 'local.loginStarted'; payload: { account?: AccountSettings } }
  /** account.login / account.resume were refused or found nothing to resume. */
  | { name: 'local.loginEnded'; payload: Record<string, never> }
  /** Signed out: forget everything that belonged to the account. */
  | { name: 'local.loggedOut'; payload: Record<string, never> }
  /** Open (or focus) the conversation with a peer. */
  | { name: 'local.chatOpened'; payload: { peer: string } }
  | { name: 'local.tabClosed'; payload: { peer: string } }
  /** chat.send resolved with the message as main stored it. */
  | { name: 'local.messageSent'; payload: { message: ChatMessage } }
  | { name: 'local.draftChanged'; payload: { peer: string; text: string } }
  // Issue 5 (conversations.ts, chat-status.ts).
  /** history.page answered: `latest` = the newest page (conversation opened), else an older one (scroll-back). */
  | { name: 'local.pageLoaded'; payload: { peer: string; messages: ChatMessage[]; older?: string; latest: boolean } }
  /** Scroll this message into view and highlight it (a search hit was chosen); null clears. */
  | { name: 'local.messageFocused'; payload: { peer: string; id: string } | null }
  /** The message list left (true) or returned to (false) the bottom of `peer`'s conversation: the slice keeps all it holds while reading back. */
  | { name: 'local.readingBack'; payload: { peer: string; reading: boolean } }
  /** history.page answered for a view of older history (a search hit further back than the messages held, and paging that view). */
  | { name: 'local.viewLoaded'; payload: ViewPage }
  /** Leave the view of older history; `toLatest`: and show the newest messages (Jump to latest). */
  | { name: 'local.viewClosed'; payload: { peer: string; toLatest: boolean } }
  | { name: 'local.muteChanged'; payload: { peer: string; muted: boolean } }
  | { name: 'local.subscriptionAnswered'; payload: { jid: string } }
  | { name: 'local.themeChosen'; payload: { theme: ThemeChoice } }
  | { name: 'local.localeChosen'; payload: { locale: LocaleChoice } }
  | { name: 'local.showOfflineToggled'; payload: { show: boolean } }
  | { name: 'local.groupToggled'; payload: { group: string; collapsed: boolean } }
  | { name: 'local.filterChanged'; payload: { filter: string } }
  // Issue 4 (renderer/store/profile.ts, settings.ts).
  | { name: 'local.sortChosen'; payload: { sortBy: RosterSort } }
  | { name: 'local.showEmptyGroupsToggled'; payload: { show: boolean } }
  /** A status message the user wants to pick again later (with the show it goes with). */
  | { name: 'local.statusSaved'; payload: { show: Show; status: string } }
  | { name: 'local.statusForgotten'; payload: { show: Show; status: string } }
  /** avatar.get answered: the image for `hash` (stale answers are ignored by the reducer). */
  | { name: 'local.avatarLoaded'; payload: { jid: string; hash: string; dataUrl: string | null } }
  /** Adjacent avatar.changed events folded into one (store/coalesce.ts): one copy of the map per batch. */
  | { name: 'local.avatarsChanged'; payload: { changes: { jid: string; hash: string | null }[] } }
  | { name: 'local.autoAwayChanged'; payload: { settings: AutoAwaySettings } }
  // Issue 6 (renderer/store/transfers.ts).
  /** transfer.send / transfer.pickAndSend answered with the transfers main started. */
  | { name: 'local.transfersStarted'; payload: { transfers: TransferInfo[] } }
  /** transfer.clearFinished succeeded: forget finished transfers here too. */
  | { name: 'local.transfersCleared'; payload: Record<string, never> }
  | { name: 'local.transferSettings'; payload: { settings: TransferSettings } }
  /** The page began streaming a file to main (key: the renderer's own, there is no transfer id yet). */
  | { name: 'local.stagingStarted'; payload: { key: string; peer: string; name: string; size: number; startedAt: number } }
  | { name: 'local.stagingProgress'; payload: { key: string; bytes: number } }
  | { name: 'local.stagingFailed'; payload: { key: string; error: string } }
  /** Staged and handed to transfer.send, cancelled, or a failure dismissed. */
  | { name: 'local.stagingEnded'; payload: { key: string } };

export type Action = AppEvent | LocalAction;

/** Build an action with its payload type checked against its name. */
export function action<N extends Action['name']>(name: N, payload: Extract<Action, { name: N }>['payload']): Action {
  return { name, payload } as Action;
}
