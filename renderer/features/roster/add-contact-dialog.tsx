// "Add contact": JID, optional name and groups (comma-separated) → roster.add (main also asks for
// their presence). Where the server offers a user directory (XEP-0055), "Search directory…" finds
// the JID by name.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { CommandArgs } from '../../../shared/ipc/contract';
import { useTranslation } from 'react-i18next';
import { Button } from '../../ui/button';
import { Dialog, DialogError } from '../../ui/dialog';
import { TextField } from '../../ui/text-field';
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
  const [jid, setJid] = useState('');
  const [name, setName] = useState('');
  const [group, setGroup] = useState('');
  const [jidError, setJidError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const jidRef = useRef<HTMLInputElement>(null);
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

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const bare = jid.trim();
    if (!looksLikeContactJid(bare)) {
      setJidError(t('validation.contactJidInvalid'));
      jidRef.current?.focus();
      return;
    }
    setBusy(true);
    setFormError(null);
    try {
      const args: CommandArgs<'roster.add'> = { jid: bare };
      if (name.trim() !== '') args.name = name.trim();
      const groups = parseGroups(group);
      if (groups.length > 0) args.groups = groups;
      await session.api.invoke('roster.add', args);
      onClose();
    } catch (err) {
      setFormError(t('errors.command', { detail: err instanceof Error ? err.message : String(err) }));
      setBusy(false);
    }
  };

  return (
    <Dialog title={t('addContact.title')} onClose={onClose} initialFocus={jidRef}>
      <form onSubmit={submit} noValidate className="dialog__form">
        <TextField
          ref={jidRef}
          label={t('addContact.jid')}
          value={jid}
          onChange={(v) => {
            setJid(v);
            setJidError(null);
          }}
          error={jidError ?? undefined}
          placeholder="bob@example.org"
          spellCheck={false}
          autoCapitalize="off"
          autoComplete="off"
        />
        <TextField label={t('addContact.name')} value={name} onChange={setName} placeholder={t('addContact.optional')} autoComplete="off" />
        <TextField label={t('addContact.group')} value={group} onChange={setGroup} placeholder={t('addContact.optional')} hint={t('contacts.groups.hint')} autoComplete="off" />
        {directories.length > 0 ? (
          <Button className="dialog__inline-action" onClick={() => setSearching(true)}>
            {t('directory.open')}
          </Button>
        ) : null}
        <p className="dialog__hint">{t('addContact.hint')}</p>
        <DialogError error={formError} />
        <div className="dialog__actions">
          <Button type="submit" variant="primary" disabled={busy}>
            {t('addContact.add')}
          </Button>
          <Button onClick={onClose}>{t('addContact.cancel')}</Button>
        </div>
      </form>
      {searching ? (
        <DirectoryDialog
          services={directories}
          onClose={() => setSearching(false)}
          onPick={(picked, pickedName) => {
            setJid(picked);
            setJidError(null);
            if (pickedName && name.trim() === '') setName(pickedName);
            setSearching(false);
            requestAnimationFrame(() => jidRef.current?.focus());
          }}
        />
      ) : null}
    </Dialog>
  );
}
