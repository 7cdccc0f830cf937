// Dialogs behind the contact and group menus: rename a contact, move/copy it to groups, remove it,
// rename or delete a group. Each sends one command; the roster changes when the server's push
// arrives, so a dialog closes once main accepted the command and shows the error otherwise.
import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Contact } from '../../../shared/domain';
import { displayName } from '../../store/roster-rows';
import { groupNamesOf } from '../../store/roster';
import { useFlint } from '../../store/store';
import { Checkbox } from '../../ui/checkbox';
import { useDialogAction } from '../../ui/dialog-action';
import { ConfirmDialog, FormDialog } from '../../ui/form-dialog';
import { TextField } from '../../ui/text-field';
import { useTextField } from '../../ui/use-text-field';
import { useSession } from '../app/session-context';
import { deleteGroup, groupsAfter, parseGroups, removeContact, renameContact, renameGroup, setGroups } from './contact-actions';

/** Busy state and error line for one roster command. */
function useCommand() {
  const { t } = useTranslation();
  return useDialogAction((detail) => t('errors.command', { detail }));
}

export function RenameContactDialog({ contact, onClose }: { contact: Contact; onClose(): void }) {
  const { t } = useTranslation();
  const session = useSession();
  const name = useTextField(contact.name ?? '');
  const action = useCommand();
  return (
    <FormDialog
      title={t('contacts.rename.title')}
      onClose={onClose}
      initialFocus={name.props.ref}
      action={action}
      onSubmit={() => renameContact(session.api, contact.jid, name.value).then(() => onClose())}
      submitLabel={t('contacts.rename.submit')}
      cancelLabel={t('contacts.cancel')}
    >
      <p className="dialog__hint">{contact.jid}</p>
      <TextField {...name.props} label={t('contacts.rename.name')} hint={t('contacts.rename.hint')} maxLength={1023} autoComplete="off" />
    </FormDialog>
  );
}

/** Move (leave `fromGroup`, or every group when null) or copy (keep the groups) into the groups typed. */
export function GroupDialog({ contact, mode, fromGroup, onClose }: { contact: Contact; mode: 'move' | 'copy'; fromGroup: string | null; onClose(): void }) {
  const { t } = useTranslation();
  const session = useSession();
  const contacts = useFlint((s) => s.roster.contacts);
  const groups = useMemo(() => groupNamesOf(contacts), [contacts]);
  const text = useTextField('');
  const listId = useId();
  const action = useCommand();
  const submit = () => {
    const to = parseGroups(text.value);
    if (to.length === 0 && mode === 'copy') return text.reject(t('contacts.groups.required'));
    return setGroups(session.api, contact.jid, groupsAfter(contact, mode, fromGroup, to)).then(() => onClose());
  };
  const name = displayName(contact);
  return (
    <FormDialog
      title={t(mode === 'move' ? 'contacts.groups.moveTitle' : 'contacts.groups.copyTitle', { name })}
      onClose={onClose}
      initialFocus={text.props.ref}
      action={action}
      onSubmit={submit}
      submitLabel={t(mode === 'move' ? 'contacts.groups.move' : 'contacts.groups.copy')}
      cancelLabel={t('contacts.cancel')}
    >
      <p className="dialog__hint">{contact.groups.length > 0 ? t('contacts.groups.current', { groups: contact.groups.join(', ') }) : t('contacts.groups.none')}</p>
      <TextField {...text.props} label={t('contacts.groups.group')} hint={mode === 'move' ? t('contacts.groups.moveHint') : t('contacts.groups.hint')} list={listId} autoComplete="off" />
      <datalist id={listId}>
        {groups.map((g) => (
          <option key={g} value={g} />
        ))}
      </datalist>
    </FormDialog>
  );
}

export function RemoveContactDialog({ contact, onClose }: { contact: Contact; onClose(): void }) {
  const { t } = useTranslation();
  const session = useSession();
  const action = useCommand();
  return (
    <ConfirmDialog
      title={t('contacts.remove.title')}
      onClose={onClose}
      action={action}
      onConfirm={() => removeContact(session.api, contact.jid).then(() => onClose())}
      confirmLabel={t('contacts.remove.submit')}
      cancelLabel={t('contacts.cancel')}
    >
      <p>{t('contacts.remove.body', { name: displayName(contact) })}</p>
    </ConfirmDialog>
  );
}

export function RenameGroupDialog({ group, onClose }: { group: string; onClose(): void }) {
  const { t } = useTranslation();
  const session = useSession();
  const name = useTextField(group);
  const action = useCommand();
  const submit = () => {
    const to = name.value.trim();
    if (to === '') return name.reject(t('contacts.renameGroup.required'));
    if (to === group) return onClose();
    return renameGroup(session.api, group, name.value).then(() => onClose());
  };
  return (
    <FormDialog title={t('contacts.renameGroup.title')} onClose={onClose} initialFocus={name.props.ref} action={action} onSubmit={submit} submitLabel={t('contacts.renameGroup.submit')} cancelLabel={t('contacts.cancel')}>
      <TextField {...name.props} label={t('contacts.renameGroup.name')} hint={t('contacts.renameGroup.hint')} maxLength={1023} autoComplete="off" />
    </FormDialog>
  );
}

export function DeleteGroupDialog({ group, onClose }: { group: string; onClose(): void }) {
  const { t } = useTranslation();
  const session = useSession();
  const count = useFlint((s) => {
    let n = 0;
    for (const jid in s.roster.contacts) if (s.roster.contacts[jid]!.groups.includes(group)) n++;
    return n;
  });
  const [removeContacts, setRemoveContacts] = useState(false);
  const action = useCommand();
  return (
    <ConfirmDialog
      title={t('contacts.deleteGroup.title')}
      onClose={onClose}
      action={action}
      onConfirm={() => deleteGroup(session.api, group, removeContacts).then(() => onClose())}
      confirmLabel={t('contacts.deleteGroup.submit')}
      cancelLabel={t('contacts.cancel')}
    >
      <p>{t('contacts.deleteGroup.body', { name: group, count })}</p>
      <Checkbox label={t('contacts.deleteGroup.removeContacts')} checked={removeContacts} onChange={setRemoveContacts} />
    </ConfirmDialog>
  );
}
