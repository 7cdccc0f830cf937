// The contact list as an ARIA tree (groups at level 1, contacts at level 2) over a virtualized
// flat row model: only the rows in view exist in the DOM, so 10,000 contacts cost what 30 do.
// Keyboard (WAI-ARIA APG tree view): Up/Down/Home/End/PageUp/PageDown move, Right expands or
// enters a group, Left collapses or goes to the group, Enter opens a chat (or toggles a group),
// Space toggles a group. One row is in the Tab order at a time (roving tabindex).
import { useCallback, useEffect, useImperativeHandle, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import { action } from '../../store/actions';
import type { RosterRow } from '../../store/roster-rows';
import { useRosterRows } from './use-roster-rows';
import { dispatch } from '../../store/store';
import { domSafe } from '../../ui/dom-id';
import { useSession } from '../app/session-context';
import { ContactRowView, GroupRowView } from './roster-row';
import { useContactMenus } from '../contacts/contact-menus';
import { rowGeometry, visibleRange } from './roster-geometry';

export const GROUP_ROW_PX = 32;
export const CONTACT_ROW_PX = 48;
const PAGE = 10;
/** Rows rendered beyond each edge of the viewport. */
const OVERSCAN = 5;

interface Viewport {
  top: number;
  height: number;
}

export interface RosterTreeHandle {
  /** Focus the first contact row (from the filter box, ArrowDown). */
  focusFirstContact(): void;
}

const rowDomId = (key: string) => `roster-${domSafe(key)}`;

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

  // Virtualized by hand (issue 4): offsets come from the model's group headers and two fixed row
  // heights (roster-geometry.ts), O(groups) per row model instead of an object per row. The
  // viewport starts as the window's height (no layout needed to know it; a few rows too many at
  // worst) and is corrected by a ResizeObserver, which reports after layout instead of forcing one.
  const geometry = useMemo(() => rowGeometry(rows.count, rows.headers, GROUP_ROW_PX, CONTACT_ROW_PX), [rows]);
  // The viewport as last seen (always current), and a render counter bumped only when a change
  // of it changes which rows are rendered: scrolling within the overscan re-renders nothing.
  const viewport = useRef<Viewport | null>(null);
  viewport.current ??= { top: 0, height: typeof window === 'undefined' ? 800 : window.innerHeight };
  const [, setViewportTick] = useState(0);
  // The first render (with the sign-in, issue 4) makes only the rows in view; the overscan is
  // added in a task of its own after that frame.
  const [overscan, setOverscan] = useState(0);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => (timer = setTimeout(() => setOverscan(OVERSCAN), 0)));
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, []);
  const overscanRef = useRef(overscan);
  overscanRef.current = overscan;
  const { first, last } = visibleRange(geometry, viewport.current.top, viewport.current.height, overscan);
  const geometryRef = useRef(geometry);
  geometryRef.current = geometry;
  const renderedRange = useRef({ first, last });
  renderedRange.current = { first, last };
  const updateViewport = useCallback((next: Viewport) => {
    viewport.current = next;
    const r = visibleRange(geometryRef.current, next.top, next.height, overscanRef.current);
    const shown = renderedRange.current;
    if (r.first !== shown.first || r.last !== shown.last) setViewportTick((n) => n + 1);
  }, []);
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver((entries) => {
      const h = entries[entries.length - 1]!.contentRect.height;
      updateViewport({ top: el.scrollTop, height: h });
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, [updateViewport]);

  const scrollToIndex = useCallback(
    (i: number) => {
      const el = scrollRef.current;
      if (!el) return;
      const g = geometryRef.current;
      const top = g.offset(i);
      const bottom = top + g.size(i);
      const height = el.clientHeight;
      if (top < el.scrollTop) el.scrollTop = top;
      else if (bottom > el.scrollTop + height) el.scrollTop = bottom - height;
      // The scroll event comes later: render the rows around the target now.
      updateViewport({ top: el.scrollTop, height });
    },
    [updateViewport],
  );

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
      scrollToIndex(i);
    },
    [rows, scrollToIndex],
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
  const activeRendered = activeIndex >= first && activeIndex <= last;
  const rendered: [number, RosterRow][] = [];
  for (let i = first; i <= last; i++) {
    const row = rows.at(i);
    if (row) rendered.push([i, row]);
  }

  return (
    <div ref={scrollRef} className="roster__scroll" onScroll={(e) => updateViewport({ top: e.currentTarget.scrollTop, height: viewport.current?.height ?? 0 })}>
      <div
        role="tree"
        aria-label={labelledBy ? undefined : t('roster.label')}
        aria-labelledby={labelledBy}
        className="roster__tree"
        tabIndex={activeRendered || rows.count === 0 ? -1 : 0}
        style={{ height: geometry.total }}
        onFocus={(e) => {
          if (e.target === e.currentTarget && rows.count > 0) moveTo(activeIndex);
        }}
      >
        {rendered.map(([index, row]) => {
          const common = {
            rowKey: row.key,
            domId: rowDomId(row.key),
            active: row.key === active?.key,
            posinset: row.posinset,
            setsize: row.setsize,
            top: geometry.offset(index),
            height: row.kind === 'group' ? GROUP_ROW_PX : CONTACT_ROW_PX,
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
