// The contact list as an ARIA tree (groups at level 1, contacts at level 2) over a virtualized
// flat row model: only the rows in view exist in the DOM, so 10,000 contacts cost what 30 do.
// Keyboard (WAI-ARIA APG tree view): Up/Down/Home/End/PageUp/PageDown move, Right expands or
// enters a group, Left collapses or goes to the group, Enter opens a chat (or toggles a group),
// Space toggles a group. One row is in the Tab order at a time (roving tabindex).
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useImperativeHandle, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import { action } from '../../store/actions';
import type { RosterRow, RosterRows } from '../../store/roster-rows';
import { useRosterRows } from './use-roster-rows';
import { dispatch } from '../../store/store';
import { domSafe } from '../../ui/dom-id';
import { useSession } from '../app/session-context';
import { ContactRowView, GroupRowView } from './roster-row';
import { useContactMenus } from '../contacts/contact-menus';

export const GROUP_ROW_PX = 32;
export const CONTACT_ROW_PX = 48;
const PAGE = 10;

export interface RosterTreeHandle {
  /** Focus the first contact row (from the filter box, ArrowDown). */
  focusFirstContact(): void;
}

const rowDomId = (key: string) => `roster-${domSafe(key)}`;

/** A new (index) key function for each row model: see the virtualizer below. */
const keyFunctionFor = (_rows: RosterRows) => (i: number) => i;

export function RosterTree({ ref, labelledBy }: { ref?: Ref<RosterTreeHandle>; labelledBy?: string }) {
  const { t } = useTranslation();
  const session = useSession();
  // The row model makes rows on demand (store/roster-rows.ts): only the ones in view are made.
  const rows = useRosterRows();
  const scrollRef = useRef<HTMLDivElement>(null);
  const [activeKey, setActiveKey] = useState<string | null>(null);
  const focusWanted = useRef<string | null>(null);
  // Bumped to guarantee a render (and so the focusing layout effect) even when the active row stays the same.
  const [, setFocusTick] = useState(0);

  const activeIndex = (activeKey !== null ? rows.indexOf(activeKey) : undefined) ?? 0;
  const active = rows.at(activeIndex);

  // The virtualizer lays out every row again when `getItemKey` changes, and only then: a key
  // function per row model (not per render) keeps scrolling and focus moves from re-measuring
  // 10,000 rows, and a new model re-measures them cheaply (heights come from the model's groups,
  // not from 10,000 row objects). Sizes are never measured from the DOM, so index keys suffice.
  const getItemKey = useMemo(() => keyFunctionFor(rows), [rows]);
  const estimateSize = useCallback((i: number) => (rows.isGroup(i) ? GROUP_ROW_PX : CONTACT_ROW_PX), [rows]);
  const virtualizer = useVirtualizer({
    count: rows.count,
    getScrollElement: () => scrollRef.current,
    estimateSize,
    getItemKey,
    overscan: 8,
  });
  const items = virtualizer.getVirtualItems();

  // Focus a row once it is rendered (after scrollToIndex it may take a frame to appear).
  useLayoutEffect(() => {
    const key = focusWanted.current;
    if (key === null) return;
    const el = document.getElementById(rowDomId(key));
    if (el) {
      focusWanted.current = null;
      el.focus({ preventScroll: true });
    } else {
      const h = requestAnimationFrame(() => {
        const later = document.getElementById(rowDomId(key));
        if (later && focusWanted.current === key) {
          focusWanted.current = null;
          later.focus({ preventScroll: true });
        }
      });
      return () => cancelAnimationFrame(h);
    }
  });

  const moveTo = useCallback(
    (index: number) => {
      const i = Math.max(0, Math.min(rows.count - 1, index));
      const row = rows.at(i);
      if (!row) return;
      setActiveKey(row.key);
      focusWanted.current = row.key;
      setFocusTick((n) => n + 1);
      virtualizer.scrollToIndex(i, { align: 'auto' });
    },
    [rows, virtualizer],
  );

  useImperativeHandle(ref, () => ({
    focusFirstContact() {
      moveTo(rows.firstContact() ?? 0);
    },
  }), [rows, moveTo]);

  const toggle = useCallback((key: string, collapsed: boolean) => dispatch(action('local.groupToggled', { group: key, collapsed })), []);
  const open = useCallback((jid: string) => session.openChat(jid, true), [session]);
  const onFocusRow = useCallback((key: string) => setActiveKey(key), []);
  const menus = useContactMenus();

  const handleKey = (e: KeyboardEvent<HTMLDivElement>, key: string) => {
      const i = rows.indexOf(key);
      const row: RosterRow | undefined = i === undefined ? undefined : rows.at(i);
      if (i === undefined || !row) return;
      let handled = true;
      switch (e.key) {
        case 'ArrowDown':
          moveTo(i + 1);
          break;
        case 'ArrowUp':
          moveTo(i - 1);
          break;
        case 'Home':
          moveTo(0);
          break;
        case 'End':
          moveTo(rows.count - 1);
          break;
        case 'PageDown':
          moveTo(i + PAGE);
          break;
        case 'PageUp':
          moveTo(i - PAGE);
          break;
        case 'ArrowRight':
          if (row.kind === 'group') {
            if (row.collapsed) toggle(row.key, false);
            else if (rows.at(i + 1)?.kind === 'contact') moveTo(i + 1);
          }
          break;
        case 'ArrowLeft':
          if (row.kind === 'group') {
            if (!row.collapsed) toggle(row.key, true);
          } else {
            const groupIndex = rows.indexOf(row.groupKey);
            if (groupIndex !== undefined) moveTo(groupIndex);
          }
          break;
        case 'Enter':
          if (row.kind === 'contact') open(row.jid);
          else toggle(row.key, !row.collapsed);
          break;
        case ' ':
          if (row.kind === 'group') toggle(row.key, !row.collapsed);
          break;
        // Issue 4: the context-menu key (or Shift+F10) opens the row's actions menu.
        case 'ContextMenu':
        case 'F10': {
          if (e.key === 'F10' && !e.shiftKey) {
            handled = false;
            break;
          }
          const el = document.getElementById(rowDomId(row.key));
          if (!el || !menus) break;
          if (row.kind === 'contact') menus.openContactMenu(row.jid, row.groupKey.startsWith('g:') ? row.groupKey.slice(2) : null, el, el);
          else if (row.groupKind === 'named') menus.openGroupMenu(row.name, el, el);
          break;
        }
        default:
          handled = false;
      }
      if (handled) {
        e.preventDefault();
        e.stopPropagation();
      }
  };
  // Rows get a handler whose identity never changes, so memoized rows are not re-rendered just
  // because the row model changed; it always runs the latest handleKey.
  const handleKeyRef = useRef(handleKey);
  handleKeyRef.current = handleKey;
  const onKeyDown = useCallback((e: KeyboardEvent<HTMLDivElement>, key: string) => handleKeyRef.current(e, key), []);

  // When the row holding the tab stop is scrolled out (and unmounted), the tree itself takes
  // the tab stop and hands focus to that row when reached.
  const activeRendered = items.some((v) => v.index === activeIndex);

  return (
    <div ref={scrollRef} className="roster__scroll">
      <div
        role="tree"
        aria-label={labelledBy ? undefined : t('roster.label')}
        aria-labelledby={labelledBy}
        className="roster__tree"
        tabIndex={activeRendered || rows.count === 0 ? -1 : 0}
        style={{ height: virtualizer.getTotalSize() }}
        onFocus={(e) => {
          if (e.target === e.currentTarget && rows.count > 0) moveTo(activeIndex);
        }}
      >
        {items.map((v) => {
          const row = rows.at(v.index);
          if (!row) return null;
          const common = {
            rowKey: row.key,
            domId: rowDomId(row.key),
            active: row.key === active?.key,
            posinset: row.posinset,
            setsize: row.setsize,
            top: v.start,
            height: v.size,
            onFocusRow,
            onKeyDown,
          };
          return row.kind === 'group' ? (
            <GroupRowView key={row.key} {...common} groupKind={row.groupKind} name={row.name} online={row.online} total={row.total} collapsed={row.collapsed} onToggle={toggle} />
          ) : (
            <ContactRowView key={row.key} {...common} jid={row.jid} groupKey={row.groupKey} onOpen={open} />
          );
        })}
      </div>
    </div>
  );
}
