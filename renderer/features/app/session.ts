// The app's use cases: each turns a user intent into local actions plus commands to main.
// Components call these and never the api directly, so there is one place where the ordering of
// "update the store" and "tell main" is decided.
import type { AppEvent, CommandArgs } from '../../../shared/ipc/contract';
import type { AccountSettings, ChatMessage, Show } from '../../../shared/domain';
import type { RendererApi, TransportState } from '../../api';
import { action } from '../../store/actions';
import { dispatch, getState } from '../../store/store';
import { chatActionsFor } from '../chat/chat-actions';

export type LoginArgs = CommandArgs<'account.login'>;

export class Session {
  private starting: Promise<void> | undefined;
  private transport: TransportState = 'connecting';
  private readonly transportListeners = new Set<(s: TransportState) => void>();
  private composerFocus: string | null = null;
  private readonly composerFocusListeners = new Set<() => void>();

  constructor(readonly api: RendererApi) {}

  /** Subscribe to events, hydrate from app.snapshot, then resume a remembered account if any. Idempotent. */
  start(): Promise<void> {
    return (this.starting ??= this.run());
  }

  private async run(): Promise<void> {
    let buffer: AppEvent[] | null = [];
    this.api.onEvents((events) => {
      // Until the snapshot is in, hold events back: applied after it, they are at worst repeats
      // (the reducers are idempotent for roster, presence and messages).
      if (buffer) buffer.push(...events);
      else this.receive(events);
    });
    let opens = 0;
    this.api.onTransport((s) => {
      this.transport = s;
      for (const l of [...this.transportListeners]) l(s);
      // After the bridge comes back, events sent meanwhile are lost: take a fresh snapshot.
      if (s === 'open' && ++opens > 1) void this.resync();
    });
    try {
      const snapshot = await this.api.invoke('app.snapshot', {});
      dispatch(action('local.hydrated', { snapshot }));
      this.receive(buffer);
    } finally {
      buffer = null;
    }
    const { connection } = getState();
    if (!connection.signedIn && !connection.loginPending) {
      // Not awaited: the login screen shows "Signing in…" meanwhile. Resuming is a convenience;
      // when it fails the login screen simply stays, as if there were nothing to resume.
      void this.resume().catch(() => {});
    }
  }

  /**
   * Events from main into the store — except main's ask to show a conversation (a notification
   * was clicked): that is opened as the user's own open is (openChat), so it takes its place in the
   * one order of opens (ChatActions.show) and a conversation still waiting for its page does not
   * take over from it.
   */
  receive(events: AppEvent[]): void {
    const opens = events.filter((e): e is Extract<AppEvent, { name: 'ui.openChat' }> => e.name === 'ui.openChat');
    dispatch(...(opens.length ? events.filter((e) => e.name !== 'ui.openChat') : events));
    for (const e of opens) this.openChat(e.payload.jid, true);
  }

  private async resync(): Promise<void> {
    try {
      const snapshot = await this.api.invoke('app.snapshot', {});
      dispatch(action('local.hydrated', { snapshot }));
    } catch {
      // The bridge dropped again; the next 'open' retries.
    }
  }

  private async resume(): Promise<void> {
    dispatch(action('local.loginStarted', {}));
    let resumed = false;
    try {
      resumed = await this.api.invoke('account.resume', {});
    } finally {
      if (!resumed) dispatch(action('local.loginEnded', {}));
    }
  }

  onTransport(cb: (s: TransportState) => void): () => void {
    this.transportListeners.add(cb);
    cb(this.transport);
    return () => this.transportListeners.delete(cb);
  }

  savedAccounts(): Promise<AccountSettings[]> {
    return this.api.invoke('account.list', {});
  }

  /** Resolves once main accepted the attempt; how it ends arrives as connection.changed. */
  async login(args: LoginArgs): Promise<void> {
    const account: AccountSettings = { jid: args.jid, tlsMode: args.tlsMode };
    if (args.host !== undefined) account.host = args.host;
    if (args.port !== undefined) account.port = args.port;
    if (args.resource !== undefined) account.resource = args.resource;
    dispatch(action('local.loginStarted', { account }));
    try {
      await this.api.invoke('account.login', args);
    } catch (err) {
      dispatch(action('local.loginEnded', {}));
      throw err;
    }
  }

  async logout(): Promise<void> {
    try {
      await this.api.invoke('account.logout', {});
    } finally {
      dispatch(action('local.loggedOut', {}));
    }
  }

  cancelLogin(): Promise<void> {
    return this.logout();
  }

  async trustCertificate(fingerprint256: string): Promise<void> {
    // From the login screen this is a new sign-in attempt; in the main view (the certificate
    // changed on a reconnect) the session carries on.
    if (!getState().connection.signedIn) dispatch(action('local.loginStarted', {}));
    try {
      await this.api.invoke('account.trustCertificate', { fingerprint256 });
    } catch (err) {
      dispatch(action('local.loginEnded', {}));
      throw err;
    }
  }

  reconnectNow(): Promise<null> {
    return this.api.invoke('account.reconnectNow', {});
  }

  setPresence(show: Show, status?: string): Promise<null> {
    return this.api.invoke('presence.set', status === undefined || status === '' ? { show } : { show, status });
  }

  /**
   * Open (or switch to) the conversation with `peer`. `focusComposer`: the user asked for this
   * chat (roster Enter/double-click), so the caret goes to the message box; switching tabs with
   * the arrow keys leaves focus on the tabs.
   */
  openChat(peer: string, focusComposer = false): void {
    const actions = chatActionsFor(this);
    const focus = () => {
      if (!focusComposer) return;
      this.composerFocus = peer;
      for (const l of [...this.composerFocusListeners]) l();
    };
    const s = getState().conversations;
    void this.api.invoke('chat.open', { jid: peer }).catch(() => {});
    if (s.byPeer[peer]?.loaded) return actions.show(peer, undefined, focus);
    // The view's own request, when it mounts, joins this one.
    const loading = actions.loadLatest(peer);
    if (s.tabs.includes(peer)) {
      // A tab already there (the tab bar's arrow keys): switched at once, it fills as the page comes.
      loading.catch(() => {});
      return actions.show(peer, undefined, focus);
    }
    // A conversation being opened: its panel shows with its newest page in one render, not an
    // empty panel first and the messages a frame or two later (ChatActions.show).
    actions.show(peer, loading, focus);
  }

  /** True once after openChat(peer, true): the composer for `peer` should take focus. */
  takeComposerFocus(peer: string): boolean {
    if (this.composerFocus !== peer) return false;
    this.composerFocus = null;
    return true;
  }

  onComposerFocusRequest(cb: () => void): () => void {
    this.composerFocusListeners.add(cb);
    return () => this.composerFocusListeners.delete(cb);
  }

  closeTab(peer: string): void {
    dispatch(action('local.tabClosed', { peer }));
    const active = getState().conversations.active;
    if (active) void this.api.invoke('chat.open', { jid: active }).catch(() => {});
  }

  setDraft(peer: string, text: string): void {
    dispatch(action('local.draftChanged', { peer, text }));
  }

  async send(peer: string, body: string): Promise<ChatMessage> {
    const message = await this.api.invoke('chat.send', { to: peer, body });
    dispatch(action('local.messageSent', { message }));
    return message;
  }

  async answerSubscription(jid: string, accept: boolean): Promise<void> {
    await this.api.invoke('subscription.answer', { jid, accept });
    dispatch(action('local.subscriptionAnswered', { jid }));
  }

  async addContact(jid: string, name: string, group: string): Promise<void> {
    const args: CommandArgs<'roster.add'> = { jid };
    if (name.trim() !== '') args.name = name.trim();
    if (group.trim() !== '') args.groups = [group.trim()];
    await this.api.invoke('roster.add', args);
  }

  openLink(url: string): Promise<null> {
    return this.api.invoke('link.open', { url });
  }
}
