// "View options" next to the offline toggle: how contacts are ordered in a group (by name, or by
// status — free to chat first, do not disturb last) and whether groups with nobody online show
// their header. Remembered with the other UI settings.
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { action, type RosterSort } from '../../store/actions';
import { dispatch, useFlint } from '../../store/store';
import { Checkbox } from '../../ui/checkbox';
import { SelectField } from '../../ui/select-field';

export function RosterViewOptions() {
  const { t } = useTranslation();
  const sortBy = useFlint((s) => s.settings.sortBy);
  const showEmptyGroups = useFlint((s) => s.settings.showEmptyGroups);
  const [open, setOpen] = useState(false);
  const id = useId();
  return (
    <div className="view-options">
      <button type="button" className="disclosure view-options__toggle" aria-expanded={open} aria-controls={id} onClick={() => setOpen((o) => !o)}>
        <span className="disclosure__icon" aria-hidden="true" />
        {t('rosterView.options')}
      </button>
      <div id={id} className="view-options__panel" hidden={!open}>
        <SelectField<RosterSort>
          label={t('rosterView.sort')}
          value={sortBy}
          options={[
            { value: 'name', label: t('rosterView.byName') },
            { value: 'presence', label: t('rosterView.byPresence') },
          ]}
          onChange={(v) => dispatch(action('local.sortChosen', { sortBy: v }))}
        />
        <Checkbox label={t('rosterView.showEmptyGroups')} checked={showEmptyGroups} onChange={(show) => dispatch(action('local.showEmptyGroupsToggled', { show }))} />
      </div>
    </div>
  );
}
