// One row of the roster tree. Rows are memoized on their primitive props and select their own
// contact, presence and unread count, so a presence change re-renders only the row it concerns.
import { memo, type CSSProperties, type KeyboardEvent, type MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Avatar } from '../../ui/avatar';
import { Badge } from '../../ui/badge';
import { PresenceDot } from '../../ui/presence-dot';
import { displayName, type GroupKind } from '../../store/roster-rows';
import { useFlint } from '../../store/store';
import { usePresenceInfo } from './contact-presence';

interface CommonRowProps {
  rowKey: string;
  domId: string;
  active: boolean;
  posinset: number;
  setsize: number;
  /** Position in the virtualized list (px). */
  top: number;
  height: number;
  onFocusRow(key: string): void;
  onKeyDown(e: KeyboardEvent<HTMLDivElement>, key: string): void;
}

export interface ContactRowProps extends CommonRowProps {
  jid: string;
  onOpen(jid: string): void;
}

// Dynamic positioning is the one use of inline style: set through the CSSOM, which the CSP allows.
const position = (top: number, height: number): CSSProperties => ({ transform: `translateY(${top}px)`, height });

export const ContactRowView = memo(function ContactRowView({ jid, rowKey, domId, active, posinset, setsize, top, height, onFocusRow, onKeyDown, onOpen }: ContactRowProps) {
  const { t } = useTranslation();
  const contact = useFlint((s) => s.roster.contacts[jid]);
  const unread = useFlint((s) => s.conversations.byPeer[jid]?.unread ?? 0);
  // A boolean selector: switching chats re-renders the two rows concerned, not the list.
  const current = useFlint((s) => s.conversations.active === jid);
  const presence = usePresenceInfo(jid);
  const name = contact ? displayName(contact) : jid;
  const unreadText = unread > 0 ? t('roster.unread', { count: unread }) : '';
  const label = [t('roster.contactName', { name, presence: presence.text }), presence.status, unreadText].filter(Boolean).join(', ');
  return (
    <div
      id={domId}
      role="treeitem"
      aria-level={2}
      aria-posinset={posinset}
      aria-setsize={setsize}
      aria-selected={active}
      aria-label={label}
      tabIndex={active ? 0 : -1}
      className={['roster-row', 'roster-row--contact', active ? 'roster-row--active' : '', current ? 'roster-row--current' : ''].filter(Boolean).join(' ')}
      style={position(top, height)}
      onFocus={() => onFocusRow(rowKey)}
      onClick={() => onFocusRow(rowKey)}
      onDoubleClick={() => onOpen(jid)}
      onKeyDown={(e) => onKeyDown(e, rowKey)}
    >
      <span className="roster-row__avatar">
        <Avatar name={name} colorKey={jid} />
        <PresenceDot kind={presence.kind} />
      </span>
      <span className="roster-row__text">
        <span className="roster-row__name">{name}</span>
        <span className="roster-row__status">{presence.status ?? presence.text}</span>
      </span>
      <Badge count={unread} label={unreadText} />
    </div>
  );
});

export interface GroupRowProps extends CommonRowProps {
  groupKind: GroupKind;
  name: string;
  online: number;
  total: number;
  collapsed: boolean;
  onToggle(key: string, collapsed: boolean): void;
}

export const GroupRowView = memo(function GroupRowView({ rowKey, domId, active, posinset, setsize, top, height, groupKind, name, online, total, collapsed, onFocusRow, onKeyDown, onToggle }: GroupRowProps) {
  const { t } = useTranslation();
  const groupName = groupKind === 'named' ? name : groupKind === 'offline' ? t('roster.offline') : t('roster.ungrouped');
  const label = groupKind === 'offline' ? t('roster.offlineHeader', { name: groupName, total }) : t('roster.groupHeader', { name: groupName, online, total });
  return (
    <div
      id={domId}
      role="treeitem"
      aria-level={1}
      aria-posinset={posinset}
      aria-setsize={setsize}
      aria-expanded={!collapsed}
      aria-selected={active}
      tabIndex={active ? 0 : -1}
      className={['roster-row', 'roster-row--group', active ? 'roster-row--active' : ''].filter(Boolean).join(' ')}
      style={position(top, height)}
      onFocus={() => onFocusRow(rowKey)}
      onClick={(e: MouseEvent) => {
        onFocusRow(rowKey);
        if (e.detail <= 1) onToggle(rowKey, !collapsed);
      }}
      onKeyDown={(e) => onKeyDown(e, rowKey)}
    >
      <span className={collapsed ? 'roster-row__chevron roster-row__chevron--collapsed' : 'roster-row__chevron'} aria-hidden="true" />
      <span className="roster-row__group-name">{label}</span>
    </div>
  );
});
