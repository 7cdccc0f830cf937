// A popup menu (WAI-ARIA APG menu button pattern): role=menu with menuitems, opened next to an
// element (or at the pointer for a right-click), focus on the first item; Up/Down/Home/End move,
// Enter/Space choose, Escape or Tab close, a click outside closes. Focus returns to `returnFocus`
// (the element that opened it) unless the chosen item opens something that takes focus itself.
// Rendered into document.body so no clipping or containment of the opener's ancestors applies.
import { useEffect, useLayoutEffect, useRef, type KeyboardEvent } from 'react';
import { createPortal } from 'react-dom';

export type MenuEntry =
  | { kind?: 'item'; id: string; label: string; onSelect(): void; disabled?: boolean; danger?: boolean }
  | { kind: 'separator'; id: string };

export interface MenuProps {
  label: string;
  entries: readonly MenuEntry[];
  /** Where to open: below an element, or at a point (right-click). */
  anchor: HTMLElement | { x: number; y: number };
  onClose(): void;
  /** Receives focus back when the menu closes without a choice (Escape, Tab, click outside). */
  returnFocus?: HTMLElement | null;
}

const isItem = (e: MenuEntry): e is Extract<MenuEntry, { id: string; label: string }> => e.kind !== 'separator';

export function Menu({ label, entries, anchor, onClose, returnFocus }: MenuProps) {
  const ref = useRef<HTMLDivElement>(null);
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;

  const items = () => [...(ref.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]:not([disabled])') ?? [])];

  // Place it once it has a size — below (or above) the anchor, kept inside the window — then
  // focus the first item (an element still hidden cannot take focus). Set through the CSSOM,
  // which the CSP allows, before the first paint.
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const w = el.offsetWidth;
    const h = el.offsetHeight;
    let left: number;
    let top: number;
    if (anchor instanceof HTMLElement) {
      const r = anchor.getBoundingClientRect();
      left = r.right - w;
      top = r.bottom + 2;
      if (top + h > window.innerHeight - 4) top = r.top - h - 2;
    } else {
      left = anchor.x;
      top = anchor.y;
      if (top + h > window.innerHeight - 4) top = anchor.y - h;
    }
    el.style.left = `${Math.max(4, Math.min(left, window.innerWidth - w - 4))}px`;
    el.style.top = `${Math.max(4, Math.min(top, window.innerHeight - h - 4))}px`;
    el.style.visibility = 'visible';
    items()[0]?.focus();
  }, [anchor]);

  useEffect(() => {
    const onDown = (e: PointerEvent) => {
      if (!ref.current?.contains(e.target as Node)) close(true);
    };
    document.addEventListener('pointerdown', onDown, true);
    return () => document.removeEventListener('pointerdown', onDown, true);
    // Mount-time only: the menu is recreated for every opening.
  }, []);

  const close = (restoreFocus: boolean) => {
    onCloseRef.current();
    if (restoreFocus && returnFocus?.isConnected) returnFocus.focus();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const list = items();
    const i = list.indexOf(document.activeElement as HTMLButtonElement);
    let handled = true;
    switch (e.key) {
      case 'ArrowDown':
        list[(i + 1) % list.length]?.focus();
        break;
      case 'ArrowUp':
        list[(i - 1 + list.length) % list.length]?.focus();
        break;
      case 'Home':
        list[0]?.focus();
        break;
      case 'End':
        list[list.length - 1]?.focus();
        break;
      case 'Escape':
        close(true);
        break;
      case 'Tab':
        close(true);
        break;
      default:
        handled = false;
        // Type-ahead: the next item starting with the typed character.
        if (e.key.length === 1 && /\S/.test(e.key)) {
          const k = e.key.toLocaleLowerCase();
          const next = [...list.slice(i + 1), ...list.slice(0, i + 1)].find((b) => b.textContent?.trim().toLocaleLowerCase().startsWith(k));
          if (next) {
            next.focus();
            handled = true;
          }
        }
    }
    if (handled) {
      e.preventDefault();
      e.stopPropagation();
    }
  };

  return createPortal(
    <div
      ref={ref}
      role="menu"
      aria-label={label}
      className="menu-popup"
      onKeyDown={onKeyDown}
      onContextMenu={(e) => e.preventDefault()}
    >
      {entries.map((entry) =>
        isItem(entry) ? (
          <button
            key={entry.id}
            type="button"
            role="menuitem"
            tabIndex={-1}
            disabled={entry.disabled}
            className={entry.danger ? 'menu-popup__item menu-popup__item--danger' : 'menu-popup__item'}
            onClick={() => {
              // Focus goes back first, so a dialog the item opens returns it there when it closes.
              if (returnFocus?.isConnected) returnFocus.focus();
              onCloseRef.current();
              entry.onSelect();
            }}
          >
            {entry.label}
          </button>
        ) : (
          <div key={entry.id} role="separator" className="menu-popup__separator" />
        ),
      )}
    </div>,
    document.body,
  );
}
