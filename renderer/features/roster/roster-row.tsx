// One row of the roster tree. Rows are memoized on their primitive props and select their own
// contact, presence and unread count, so a presence change re-renders only the row it concerns.
import { memo, useMemo, type CSSProperties, type KeyboardEvent, type MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Avatar } from '../../ui/avatar';
import { Badge } from '../../ui/badge';
import { PresenceDot } from '../../ui/presence-dot';
import { displayName, type GroupKind } from '../../store/roster-rows';
import { useFlint } from '../../store/store';
import { usePresenceInfo } from './contact-presence';
// Issue 4: avatars, the per-row actions menu, one-way and blocked marks.
import { useContactMenus } from '../contacts/contact-menus';
import { useAvatarUrl } from '../profile/use-avatar';

/** The named group a row key stands for (see roster-rows.ts), or null for "Contacts"/"Offline". */
const groupOfKey = (groupKey: string): string | null => (groupKey.startsWith('g:') ? groupKey.slice(2) : null);

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
  /** The row's group (roster-rows.ts key), for "Remove from group" and "Move". */
  groupKey: string;
  onOpen(jid: string): void;
}

// Dynamic positioning is the one use of inline style: set through the CSSOM, which the CSP allows.
const position = (top: number, height: number): CSSProperties => ({ transform: `translateY(${top}px)`, height });

export const ContactRowView = memo(function ContactRowView({ jid, groupKey, rowKey, domId, active, posinset, setsize, top, height, onFocusRow, onKeyDown, onOpen }: ContactRowProps) {
  const { t } = useTranslation();
  const contact = useFlint((s) => s.roster.contacts[jid]);
  const blocked = useFlint((s) => s.profile.blocked[jid] === true);
  const avatar = useAvatarUrl(jid);
  const menus = useContactMenus();
  const unread = useFlint((s) => s.conversations.byPeer[jid]?.unread ?? 0);
  // A boolean selector: switching chats re-renders the two rows concerned, not the list.
  const current = useFlint((s) => s.conversations.active === jid);
  const presence = usePresenceInfo(jid);
  const name = contact ? displayName(contact) : jid;
  // They do not see us (subscription 'to'): shown, so nobody wonders why they never answer.
  const oneWay = contact?.subscription === 'to' && !contact.ask;
  // The texts change with the contact, not with the row's place: when contacts above come and go
  // the visible rows re-render for their new position only (issue 4: ~20 rows per regrouping,
  // and an i18next call costs a few µs).
  const { unreadText, marks, label, moreActions } = useMemo(() => {
    const unreadText = unread > 0 ? t('roster.unread', { count: unread }) : '';
    const marks = [oneWay ? t('contacts.row.oneWay') : '', blocked ? t('contacts.row.blocked') : ''].filter(Boolean);
    const label = [t('roster.contactName', { name, presence: presence.text }), presence.status, unreadText, ...marks].filter(Boolean).join(t('contacts.row.separator'));
    return { unreadText, marks, label, moreActions: t('contacts.row.moreActions', { name }) };
  }, [t, unread, oneWay, blocked, name, presence.text, presence.status]);
  const openMenu = (anchor: HTMLElement | { x: number; y: number }) => {
    const row = document.getElementById(domId);
    menus?.openContactMenu(jid, groupOfKey(groupKey), anchor, row);
  };
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
      onContextMenu={(e) => {
        e.preventDefault();
        onFocusRow(rowKey);
        openMenu({ x: e.clientX, y: e.clientY });
      }}
    >
      <span className="roster-row__avatar">
        <Avatar name={name} colorKey={jid} src={avatar} />
        <PresenceDot kind={presence.kind} />
      </span>
      <span className="roster-row__text">
        <span className="roster-row__name">{name}</span>
        <span className="roster-row__status">{presence.status ?? presence.text}</span>
      </span>
      {marks.length > 0 ? (
        <span className="roster-row__marks" aria-hidden="true">
          {oneWay ? <span className="roster-row__mark" title={t('contacts.row.oneWay')}>{t('contacts.row.oneWayShort')}</span> : null}
          {blocked ? <span className="roster-row__mark roster-row__mark--blocked" title={t('contacts.row.blocked')}>{t('contacts.row.blockedShort')}</span> : null}
        </span>
      ) : null}
      <Badge count={unread} label={unreadText} />
      {menus ? (
        <button
          type="button"
          className="roster-row__more"
          tabIndex={-1}
          aria-label={moreActions}
          title={moreActions}
          onClick={(e) => {
            e.stopPropagation();
            onFocusRow(rowKey);
            openMenu(e.currentTarget);
          }}
          onDoubleClick={(e) => e.stopPropagation()}
        >
          <span aria-hidden="true">⋯</span>
        </button>
      ) : null}
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
  const menus = useContactMenus();
  const openMenu = (anchor: HTMLElement | { x: number; y: number }) => menus?.openGroupMenu(name, anchor, document.getElementById(domId));
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
      aria-label={label}
      tabIndex={active ? 0 : -1}
      className={['roster-row', 'roster-row--group', active ? 'roster-row--active' : ''].filter(Boolean).join(' ')}
      style={position(top, height)}
      onFocus={() => onFocusRow(rowKey)}
      onClick={(e: MouseEvent) => {
        onFocusRow(rowKey);
        if (e.detail <= 1) onToggle(rowKey, !collapsed);
      }}
      onKeyDown={(e) => onKeyDown(e, rowKey)}
      onContextMenu={(e) => {
        if (groupKind !== 'named') return;
        e.preventDefault();
        onFocusRow(rowKey);
        openMenu({ x: e.clientX, y: e.clientY });
      }}
    >
      <span className={collapsed ? 'roster-row__chevron roster-row__chevron--collapsed' : 'roster-row__chevron'} aria-hidden="true" />
      <span className="roster-row__group-name">{label}</span>
      {menus && groupKind === 'named' ? (
        <button
          type="button"
          className="roster-row__more roster-row__more--group"
          tabIndex={-1}
          aria-label={t('contacts.row.groupActions', { group: name })}
          title={t('contacts.row.groupActions', { group: name })}
          onClick={(e) => {
            e.stopPropagation();
            onFocusRow(rowKey);
            openMenu(e.currentTarget);
          }}
        >
          <span aria-hidden="true">⋯</span>
        </button>
      ) : null}
    </div>
  );
});
