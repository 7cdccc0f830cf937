// The contact list: filter box, "Add contact", the offline toggle, and the tree.
import { useRef, useState, type KeyboardEvent, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import { action } from '../../store/actions';
import { useRosterRows } from './use-roster-rows';
import { dispatch, useFlint } from '../../store/store';
import { Button } from '../../ui/button';
import { Checkbox } from '../../ui/checkbox';
import { TextField } from '../../ui/text-field';
import { AddContactDialog } from './add-contact-dialog';
import { RosterTree, type RosterTreeHandle } from './roster-tree';
import './roster.css';
// Issue 4: contact/group menus and their dialogs; sort and empty-group options.
import { ContactMenusProvider } from '../contacts/contact-menus';
import { RosterViewOptions } from '../contacts/roster-view-options';
import '../contacts/contacts.css';


export function RosterPanel({ filterRef }: { filterRef?: Ref<HTMLInputElement> }) {
  const { t } = useTranslation();
  const filter = useFlint((s) => s.settings.filter);
  const showOffline = useFlint((s) => s.settings.showOffline);
  const { count, matching, contacts } = useRosterRows();
  // From the row model, not the contacts map: a for-in "has any key" on a 10,000-key object is
  // O(n) in V8 (it collects every key first — ~3 ms on each presence batch).
  const empty = contacts === 0;
  const treeRef = useRef<RosterTreeHandle>(null);
  const [adding, setAdding] = useState(false);

  const onFilterKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      treeRef.current?.focusFirstContact();
    } else if (e.key === 'Escape' && filter !== '') {
      e.preventDefault();
      dispatch(action('local.filterChanged', { filter: '' }));
    }
  };

  let emptyText: string | null = null;
  if (empty) emptyText = t('roster.empty');
  else if (filter.trim() !== '' && matching === 0) emptyText = t('roster.noMatch', { filter: filter.trim() });
  else if (count === 0) emptyText = t('roster.allOffline');

  return (
    <section className="roster" aria-label={t('roster.label')}>
      <div className="roster__toolbar">
        <TextField
          ref={filterRef}
          className="roster__filter"
          label={t('roster.filter')}
          labelHidden
          value={filter}
          onChange={(v) => dispatch(action('local.filterChanged', { filter: v }))}
          onKeyDown={onFilterKey}
          placeholder={t('roster.filterPlaceholder')}
          spellCheck={false}
          autoComplete="off"
        />
        <Button onClick={() => setAdding(true)} aria-label={t('roster.addContact')} title={t('roster.addContact')} className="roster__add">
          <span aria-hidden="true">+</span>
        </Button>
      </div>
      <div className="roster__options">
        <Checkbox className="roster__offline-toggle" label={t('roster.showOffline')} checked={showOffline} onChange={(show) => dispatch(action('local.showOfflineToggled', { show }))} />
        <RosterViewOptions />
      </div>
      {emptyText ? <p className="roster__empty">{emptyText}</p> : null}
      <ContactMenusProvider>
        <RosterTree ref={treeRef} />
      </ContactMenusProvider>
      {adding ? <AddContactDialog onClose={() => setAdding(false)} /> : null}
    </section>
  );
}
