// "Add contact": JID, optional name and group → roster.add (main also asks for their presence).
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../ui/button';
import { Dialog } from '../../ui/dialog';
import { TextField } from '../../ui/text-field';
import { useSession } from '../app/session-context';

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
      await session.addContact(bare, name, group);
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
        <TextField label={t('addContact.group')} value={group} onChange={setGroup} placeholder={t('addContact.optional')} autoComplete="off" />
        <p className="dialog__hint">{t('addContact.hint')}</p>
        {formError ? (
          <p className="dialog__error" role="alert">
            {formError}
          </p>
        ) : null}
        <div className="dialog__actions">
          <Button type="submit" variant="primary" disabled={busy}>
            {t('addContact.add')}
          </Button>
          <Button onClick={onClose}>{t('addContact.cancel')}</Button>
        </div>
      </form>
    </Dialog>
  );
}
