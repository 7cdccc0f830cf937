// "Add contact": JID, optional name and groups (comma-separated) → roster.add (main also asks for
// their presence). Where the server offers a user directory (XEP-0055), "Search directory…" finds
// the JID by name.
import { useEffect, useState } from 'react';
import type { CommandArgs } from '../../../shared/ipc/contract';
import { useTranslation } from 'react-i18next';
import { Button } from '../../ui/button';
import { Dialog } from '../../ui/dialog';
import { useDialogAction } from '../../ui/dialog-action';
import { DialogForm } from '../../ui/form-dialog';
import { TextField } from '../../ui/text-field';
import { useTextField } from '../../ui/use-text-field';
import { useSession } from '../app/session-context';
import { parseGroups } from '../contacts/contact-actions';
import { DirectoryDialog } from '../contacts/directory-dialog';

/** A contact address: no spaces, no '@' at either end (domain-only JIDs — gateways — are fine). */
export function looksLikeContactJid(jid: string): boolean {
  return /^[^\s@/]+(@[^\s@/]+)?$/.test(jid);
}

export function AddContactDialog({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const session = useSession();
  const jid = useTextField('');
  const [name, setName] = useState('');
  const [group, setGroup] = useState('');
  const action = useDialogAction((detail) => t('errors.command', { detail }));
  const [directories, setDirectories] = useState<{ jid: string; name?: string }[]>([]);
  const [searching, setSearching] = useState(false);

  // Only offered where the server has a directory (ejabberd's vjud; Prosody has none).
  useEffect(() => {
    let live = true;
    session.api.invoke('directory.services', {}).then(
      (list) => live && setDirectories(list),
      () => {},
    );
    return () => {
      live = false;
    };
  }, [session]);

  const submit = () => {
    const bare = jid.value.trim();
    if (!looksLikeContactJid(bare)) return jid.reject(t('validation.contactJidInvalid'));
    const args: CommandArgs<'roster.add'> = { jid: bare };
    if (name.trim() !== '') args.name = name.trim();
    const groups = parseGroups(group);
    if (groups.length > 0) args.groups = groups;
    return session.api.invoke('roster.add', args).then(() => onClose());
  };

  return (
    <Dialog title={t('addContact.title')} onClose={onClose} initialFocus={jid.props.ref}>
      <DialogForm action={action} onSubmit={submit} submitLabel={t('addContact.add')} cancelLabel={t('addContact.cancel')} onCancel={onClose}>
        <TextField {...jid.props} label={t('addContact.jid')} placeholder="bob@example.org" spellCheck={false} autoCapitalize="off" autoComplete="off" />
        <TextField label={t('addContact.name')} value={name} onChange={setName} placeholder={t('addContact.optional')} autoComplete="off" />
        <TextField label={t('addContact.group')} value={group} onChange={setGroup} placeholder={t('addContact.optional')} hint={t('contacts.groups.hint')} autoComplete="off" />
        {directories.length > 0 ? (
          <Button className="dialog__inline-action" onClick={() => setSearching(true)}>
            {t('directory.open')}
          </Button>
        ) : null}
        <p className="dialog__hint">{t('addContact.hint')}</p>
      </DialogForm>
      {searching ? (
        <DirectoryDialog
          services={directories}
          onClose={() => setSearching(false)}
          onPick={(picked, pickedName) => {
            jid.set(picked);
            if (pickedName && name.trim() === '') setName(pickedName);
            setSearching(false);
            requestAnimationFrame(() => jid.props.ref.current?.focus());
          }}
        />
      ) : null}
    </Dialog>
  );
}
