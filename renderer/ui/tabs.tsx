// A tab list with a close button per tab (WAI-ARIA APG "Tabs with automatic activation"):
// Left/Right/Home/End move between tabs and select them, Delete closes the focused one. The close
// buttons sit beside the tabs (a button inside role=tab would be a control inside a control); the
// active tab's close button is in the Tab order, the others are reached through their tab.
import { type KeyboardEvent, type ReactNode } from 'react';

export interface TabItem {
  id: string;
  label: ReactNode;
  /** The tab's accessible name when `label` holds more than text (badges). */
  accessibleName: string;
  closeLabel: string;
}

export interface TabsProps {
  label: string;
  items: readonly TabItem[];
  activeId: string | undefined;
  onSelect(id: string): void;
  onClose(id: string): void;
  /** DOM id of tab `id` / of its panel, so the panel can point back (aria-labelledby). */
  tabDomId(id: string): string;
  panelDomId(id: string): string;
}

export function Tabs({ label, items, activeId, onSelect, onClose, tabDomId, panelDomId }: TabsProps) {
  const focusTab = (id: string) => {
    onSelect(id);
    // After React re-renders, the chosen tab carries tabIndex 0; focus it by its id.
    requestAnimationFrame(() => document.getElementById(tabDomId(id))?.focus());
  };

  const onKeyDown = (e: KeyboardEvent<HTMLButtonElement>, index: number) => {
    const n = items.length;
    let target: number | null = null;
    if (e.key === 'ArrowRight') target = (index + 1) % n;
    else if (e.key === 'ArrowLeft') target = (index - 1 + n) % n;
    else if (e.key === 'Home') target = 0;
    else if (e.key === 'End') target = n - 1;
    else if (e.key === 'Delete') {
      e.preventDefault();
      const next = items[index + 1] ?? items[index - 1];
      onClose(items[index]!.id);
      if (next) requestAnimationFrame(() => document.getElementById(tabDomId(next.id))?.focus());
      return;
    }
    if (target === null) return;
    e.preventDefault();
    focusTab(items[target]!.id);
  };

  return (
    <div role="tablist" aria-label={label} className="tabs">
      {items.map((item, i) => {
        const selected = item.id === activeId;
        return (
          <div key={item.id} role="presentation" className={selected ? 'tabs__item tabs__item--active' : 'tabs__item'}>
            <button
              type="button"
              role="tab"
              id={tabDomId(item.id)}
              aria-selected={selected}
              aria-controls={panelDomId(item.id)}
              aria-label={item.accessibleName}
              tabIndex={selected ? 0 : -1}
              className="tabs__tab"
              onClick={() => onSelect(item.id)}
              onKeyDown={(e) => onKeyDown(e, i)}
            >
              {item.label}
            </button>
            <button type="button" className="tabs__close" aria-label={item.closeLabel} title={item.closeLabel} tabIndex={selected ? 0 : -1} onClick={() => onClose(item.id)}>
              <span aria-hidden="true">×</span>
            </button>
          </div>
        );
      })}
    </div>
  );
}
