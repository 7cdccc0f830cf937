// Issue 5 commands about conversations that are not plain sending: our chat states (XEP-0085),
// correcting our last message (XEP-0308), displayed markers (XEP-0333), and the per-conversation
// mute setting (persisted in the profile directory; notifications consult it).
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ChatMessage } from '../../../shared/domain';
import { bareJid } from '../../../shared/jid';
import type { ChatState, CoreEvent } from '../../core/events';
import { CHATSTATES_MODULE, CORRECTION_MODULE, MARKERS_MODULE, type ChatStatesApi, type CorrectionApi, type MarkersApi } from '../../core/modules';
import type { Logger } from '../../core/ports';
import { withoutCursor, type HistoryStore } from '../store/history';

export const CONVERSATION_PREFS_FILE = 'conversation-prefs.json';

export interface MessagingDeps {
  store: HistoryStore;
  /** Own bare JID of the signed-in account, when there is one. */
  account(): string | undefined;
  /** A protocol module's API while online, else undefined. */
  api<T>(name: string): T | undefined;
  emit(e: CoreEvent): void;
  log: Logger;
}

interface PrefsFile {
  /** Per account (bare JID): muted conversations (bare JIDs). */
  muted: Record<string, string[]>;
}

export class Messaging {
  private readonly prefsPath: string;
  private prefs: PrefsFile;

  constructor(
    dataDir: string,
    private readonly deps: MessagingDeps,
  ) {
    this.prefsPath = join(dataDir, CONVERSATION_PREFS_FILE);
    this.prefs = this.loadPrefs();
  }

  /**
   * chat.setState: our typing state in the chat with `to`. The renderer debounces (composing on the
   * first keystroke, paused after idle, active on send); xep0085 drops repeats and contacts that
   * never showed support. False when offline or not sent.
   */
  setChatState(to: string, state: ChatState): boolean {
    const api = this.deps.api<ChatStatesApi>(CHATSTATES_MODULE);
    if (!api || !this.deps.account()) return false;
    return api.set(to, state);
  }

  /**
   * chat.correct: replace the body of our message `id`, which must be our last message in its
   * conversation (XEP-0308 §Business Rules: only the most recent). A message still queued is simply
   * rewritten (nobody saw it); a sent one needs the connection to send the correction.
   */
  async correct(id: string, body: string): Promise<ChatMessage> {
    const account = this.requireAccount();
    const original = this.deps.store.ownMessage(account, id);
    if (!original) throw new Error('No such message of yours.');
    const last = this.deps.store.lastOwnMessage(account, original.peer);
    if (last?.id !== original.id) throw new Error('Only your last message in a conversation can be corrected.');
    if (original.state === 'error') throw new Error('This message was not sent: retry it instead.');
    if (original.body === body) return withoutCursor(original);
    if (original.state !== 'pending') {
      const api = this.deps.api<CorrectionApi>(CORRECTION_MODULE);
      if (!api) throw new Error('Not connected: try again when Flint is online.');
      api.correct(original.to, original.id, body, original.thread ? { thread: original.thread } : {});
    }
    const r = await this.deps.store.correct(account, original.peer, original.id, body, account);
    if (r.status !== 'applied') throw new Error('The message could not be corrected.');
    this.deps.emit({ type: 'message.corrected', peer: original.peer, id: original.id, body, from: account });
    return withoutCursor(r.message);
  }

  /** chat.markDisplayed: tell `peer` we displayed their message `id` (and all before it). */
  markDisplayed(peer: string, id: string): boolean {
    const api = this.deps.api<MarkersApi>(MARKERS_MODULE);
    if (!api || !this.deps.account()) return false;
    return api.displayed(bareJid(peer), id);
  }

  /** chat.setMuted: no notifications for this conversation (persisted per account). */
  setMuted(peer: string, muted: boolean): void {
    const account = this.requireAccount();
    const jid = bareJid(peer);
    const list = new Set(this.prefs.muted[account] ?? []);
    if (muted === list.has(jid)) return;
    if (muted) list.add(jid);
    else list.delete(jid);
    this.prefs = { ...this.prefs, muted: { ...this.prefs.muted, [account]: [...list].sort() } };
    this.savePrefs();
  }

  isMuted(peer: string): boolean {
    const account = this.deps.account();
    return !!account && (this.prefs.muted[account] ?? []).includes(bareJid(peer));
  }

  mutedPeers(): string[] {
    const account = this.deps.account();
    return account ? [...(this.prefs.muted[account] ?? [])] : [];
  }

  private loadPrefs(): PrefsFile {
    if (!existsSync(this.prefsPath)) return { muted: {} };
    try {
      const raw = JSON.parse(readFileSync(this.prefsPath, 'utf8')) as unknown;
      const muted: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
      if (raw && typeof raw === 'object' && 'muted' in raw && raw.muted && typeof raw.muted === 'object') {
        for (const [account, list] of Object.entries(raw.muted as Record<string, unknown>)) {
          if (Array.isArray(list)) muted[account] = list.filter((j): j is string => typeof j === 'string');
        }
      }
      return { muted };
    } catch (err) {
      this.deps.log.warn('conversation settings unreadable, starting empty', { error: String(err) });
      return { muted: {} };
    }
  }

  private savePrefs(): void {
    mkdirSync(dirname(this.prefsPath), { recursive: true });
    const tmp = `${this.prefsPath}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.prefs), { mode: 0o600 });
    renameSync(tmp, this.prefsPath);
  }

  private requireAccount(): string {
    const a = this.deps.account();
    if (!a) throw new Error('Not signed in.');
    return a;
  }
}
