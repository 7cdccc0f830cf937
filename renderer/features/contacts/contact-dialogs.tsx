// Dialogs behind the contact and group menus: rename a contact, move/copy it to groups, remove it,
// rename or delete a group. Each sends one command; the roster changes when the server's push
// arrives, so a dialog closes once main accepted the command and shows the error otherwise.
import { useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Contact } from '../../../shared/domain';
import { displayName } from '../../store/roster-rows';
import { useFlint } from '../../store/store';
import { Button } from '../../ui/button';
import { Checkbox } from '../../ui/checkbox';
import { Dialog, DialogError } from '../../ui/dialog';
import { TextField } from '../../ui/text-field';
import { useSession } from '../app/session-context';
import { deleteGroup, groupsAfter, parseGroups, removeContact, renameContact, renameGroup, setGroups } from './contact-actions';

/** A dialog with a form: runs `action`, closes on success, shows the error otherwise. */
function useSubmit(onClose: () => void) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      onClose();
    } catch (err) {
      setError(t('errors.command', { detail: err instanceof Error ? err.message : String(err) }));
      setBusy(false);
    }
  };
  return { busy, error, run };
}

function Actions({ children }: { children: ReactNode }) {
  return <div className="dialog__actions">{children}</div>;
}

export function RenameContactDialog({ contact, onClose }: { contact: Contact; onClose(): void }) {
  const { t } = useTranslation();
  const session = useSession();
  const [name, setName] = useState(contact.name ?? '');
  const ref = useRef<HTMLInputElement>(null);
  const { busy, error, run } = useSubmit(onClose);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(() => renameContact(session.api, contact.jid, name));
  };
  return (
    <Dialog title={t('contacts.rename.title')} onClose={onClose} initialFocus={ref}>
      <form onSubmit={submit} noValidate className="dialog__form">
        <p className="dialog__hint">{contact.jid}</p>
        <TextField ref={ref} label={t('contacts.rename.name')} value={name} onChange={setName} hint={t('contacts.rename.hint')} maxLength={1023} autoComplete="off" />
        <DialogError error={error} />
        <Actions>
          <Button type="submit" variant="primary" disabled={busy}>
            {t('contacts.rename.submit')}
          </Button>
          <Button onClick={onClose}>{t('contacts.cancel')}</Button>
        </Actions>
      </form>
    </Dialog>
  );
}

/** Move (leave `fromGroup`, or every group when null) or copy (keep the groups) into the groups typed. */
export function GroupDialog({ contact, mode, fromGroup, onClose }: { contact: Contact; mode: 'move' | 'copy'; fromGroup: string | null; onClose(): void }) {
  const { t } = useTranslation();
  const session = useSession();
  const groups = useFlint((s) => s.roster.groups);
  const [text, setText] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const listId = useId();
  const ref = useRef<HTMLInputElement>(null);
  const { busy, error, run } = useSubmit(onClose);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const to = parseGroups(text);
    if (to.length === 0 && mode === 'copy') {
      setFieldError(t('contacts.groups.required'));
      ref.current?.focus();
      return;
    }
    void run(() => setGroups(session.api, contact.jid, groupsAfter(contact, mode, fromGroup, to)));
  };
  const name = displayName(contact);
  return (
    <Dialog title={t(mode === 'move' ? 'contacts.groups.moveTitle' : 'contacts.groups.copyTitle', { name })} onClose={onClose} initialFocus={ref}>
      <form onSubmit={submit} noValidate className="dialog__form">
        <p className="dialog__hint">
          {contact.groups.length > 0 ? t('contacts.groups.current', { groups: contact.groups.join(', ') }) : t('contacts.groups.none')}
        </p>
        <TextField
          ref={ref}
          label={t('contacts.groups.group')}
          value={text}
          onChange={(v) => {
            setText(v);
            setFieldError(null);
          }}
          error={fieldError ?? undefined}
          hint={mode === 'move' ? t('contacts.groups.moveHint') : t('contacts.groups.hint')}
          list={listId}
          autoComplete="off"
        />
        <datalist id={listId}>
          {groups.map((g) => (
            <option key={g} value={g} />
          ))}
        </datalist>
        <DialogError error={error} />
        <Actions>
          <Button type="submit" variant="primary" disabled={busy}>
            {t(mode === 'move' ? 'contacts.groups.move' : 'contacts.groups.copy')}
          </Button>
          <Button onClick={onClose}>{t('contacts.cancel')}</Button>
        </Actions>
      </form>
    </Dialog>
  );
}

export function RemoveContactDialog({ contact, onClose }: { contact: Contact; onClose(): void }) {
  const { t } = useTranslation();
  const session = useSession();
  const cancelRef = useRef<HTMLButtonElement>(null);
  const { busy, error, run } = useSubmit(onClose);
  return (
    <Dialog title={t('contacts.remove.title')} onClose={onClose} initialFocus={cancelRef}>
      <p>{t('contacts.remove.body', { name: displayName(contact) })}</p>
      <DialogError error={error} />
      <Actions>
        <Button variant="danger" disabled={busy} onClick={() => void run(() => removeContact(session.api, contact.jid))}>
          {t('contacts.remove.submit')}
        </Button>
        <Button ref={cancelRef} onClick={onClose}>
          {t('contacts.cancel')}
        </Button>
      </Actions>
    </Dialog>
  );
}

export function RenameGroupDialog({ group, onClose }: { group: string; onClose(): void }) {
  const { t } = useTranslation();
  const session = useSession();
  const [name, setName] = useState(group);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const ref = useRef<HTMLInputElement>(null);
  const { busy, error, run } = useSubmit(onClose);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (name.trim() === '') {
      setFieldError(t('contacts.renameGroup.required'));
      ref.current?.focus();
      return;
    }
    if (name.trim() === group) {
      onClose();
      return;
    }
    void run(() => renameGroup(session.api, group, name));
  };
  return (
    <Dialog title={t('contacts.renameGroup.title')} onClose={onClose} initialFocus={ref}>
      <form onSubmit={submit} noValidate className="dialog__form">
        <TextField
          ref={ref}
          label={t('contacts.renameGroup.name')}
          value={name}
          onChange={(v) => {
            setName(v);
            setFieldError(null);
          }}
          error={fieldError ?? undefined}
          hint={t('contacts.renameGroup.hint')}
          maxLength={1023}
          autoComplete="off"
        />
        <DialogError error={error} />
        <Actions>
          <Button type="submit" variant="primary" disabled={busy}>
            {t('contacts.renameGroup.submit')}
          </Button>
          <Button onClick={onClose}>{t('contacts.cancel')}</Button>
        </Actions>
      </form>
    </Dialog>
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
  const cancelRef = useRef<HTMLButtonElement>(null);
  const { busy, error, run } = useSubmit(onClose);
  return (
    <Dialog title={t('contacts.deleteGroup.title')} onClose={onClose} initialFocus={cancelRef}>
      <p>{t('contacts.deleteGroup.body', { name: group, count })}</p>
      <Checkbox label={t('contacts.deleteGroup.removeContacts')} checked={removeContacts} onChange={setRemoveContacts} />
      <DialogError error={error} />
      <Actions>
        <Button variant="danger" disabled={busy} onClick={() => void run(() => deleteGroup(session.api, group, removeContacts))}>
          {t('contacts.deleteGroup.submit')}
        </Button>
        <Button ref={cancelRef} onClick={onClose}>
          {t('contacts.cancel')}
        </Button>
      </Actions>
    </Dialog>
  );
}
