// Conversations in tabs: the tab list (name + unread count, close button) and the active
// conversation's panel. Owns the "Open link?" dialog for links clicked in any message.
import { memo, useCallback, useState } from 'react';
import type { ChatMessage } from '../../../shared/domain';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { Contact } from '../../../shared/domain';
import { Badge } from '../../ui/badge';
import { domSafe } from '../../ui/dom-id';
import { Tabs, type TabItem } from '../../ui/tabs';
import { displayName } from '../../store/roster-rows';
import { useFlint } from '../../store/store';
import { useSession } from '../app/session-context';
import { ContactPresenceLine } from '../roster/contact-presence';
import { ContactAvatar } from '../profile/contact-avatar';
import { Composer } from './composer';
import { LinkDialog, LinkOpenerContext } from './link-dialog';
import { MessageList } from './message-list';
import { ConversationActions, TypingIndicator, UnreadReporter } from './conversation-extras';
import { SearchPanel } from '../search/search-panel';
// Issue 6: files dropped or pasted onto a conversation.
import { useFileSend } from '../transfers/use-file-send';
import './chat.css';

export const tabDomId = (peer: string) => `chat-tab-${domSafe(peer)}`;
export const panelDomId = (peer: string) => `chat-panel-${domSafe(peer)}`;

const nameOf = (contacts: Readonly<Record<string, Contact>>, peer: string): string => {
  const c = contacts[peer];
  return c ? displayName(c) : peer;
};

/** A conversation's tab: the name and unread badge it shows, and its names for assistive technology. */
export function conversationTab(t: TFunction, peer: string, name: string, unread: number): TabItem {
  const unreadText = t('roster.unread', { count: unread });
  return {
    id: peer,
    label: (
      <>
        <span className="tabs__label">{name}</span>
        <Badge count={unread} label={unreadText} />
      </>
    ),
    accessibleName: unread > 0 ? t('chat.tabUnread', { name, unread: unreadText }) : name,
    closeLabel: t('chat.close', { name }),
  };
}

export function ChatArea() {
  const { t } = useTranslation();
  const session = useSession();
  const tabs = useFlint((s) => s.conversations.tabs);
  const active = useFlint((s) => s.conversations.active);
  const contacts = useFlint((s) => s.roster.contacts);
  // The unread counts of the tabs, as a string: the tab bar re-renders when one changes, not on every batch of messages.
  const unreadKey = useFlint((s) => s.conversations.tabs.map((peer) => s.conversations.byPeer[peer]?.unread ?? 0).join(','));
  const unreadOf = unreadKey.split(',').map(Number);
  const [linkUrl, setLinkUrl] = useState<string | null>(null);
  const openLink = useCallback((url: string) => setLinkUrl(url), []);

  const items: TabItem[] = tabs.map((peer, i) => conversationTab(t, peer, nameOf(contacts, peer), unreadOf[i] ?? 0));

  return (
    <LinkOpenerContext.Provider value={openLink}>
      <section className="chat" aria-label={t('chat.tabs')}>
        <UnreadReporter />
        <SearchPanel />
        {tabs.length === 0 ? (
          <p className="chat__empty">{t('chat.empty')}</p>
        ) : (
          <>
            <Tabs
              label={t('chat.tabs')}
              items={items}
              activeId={active}
              onSelect={(peer) => session.openChat(peer)}
              onClose={(peer) => session.closeTab(peer)}
              tabDomId={tabDomId}
              panelDomId={panelDomId}
            />
            {active ? <ConversationPanel key={active} peer={active} name={nameOf(contacts, active)} /> : null}
          </>
        )}
      </section>
      {linkUrl ? <LinkDialog url={linkUrl} onClose={() => setLinkUrl(null)} /> : null}
    </LinkOpenerContext.Provider>
  );
}

/**
 * One conversation: header, messages, typing line, composer. `sample`: messages shown instead of
 * the store's, by a list that asks and updates nothing (MessageList `sample`: the chat warm-up).
 */
export const ConversationPanel = memo(function ConversationPanel({ peer, name, sample }: { peer: string; name: string; sample?: readonly ChatMessage[] }) {
  const [editing, setEditing] = useState<ChatMessage | null>(null);
  const endEdit = useCallback(() => setEditing(null), []);
  const files = useFileSend(peer, name);
  return (
    <div className={`chat__panel${files.dragging ? ' chat__panel--drop' : ''}`} role="tabpanel" id={panelDomId(peer)} aria-labelledby={tabDomId(peer)} {...files.handlers}>
      <header className="chat__header">
        <div className="chat__heading">
          <h2 className="chat__title">
          <ContactAvatar jid={peer} name={name} size="small" />
          {name}
        </h2>
          <ContactPresenceLine jid={peer} />
        </div>
        <ConversationActions peer={peer} />
      </header>
      <MessageList peer={peer} peerName={name} onEdit={setEditing} sample={sample} />
      <TypingIndicator peer={peer} name={name} />
      <Composer peer={peer} editing={editing} onEditStart={setEditing} onEditEnd={endEdit} onFiles={files.offer} />
      {files.elements}
    </div>
  );
});
