// "Blocked contacts" (XEP-0191): everyone on the server-side blocklist, each with Unblock, and a
// field to block an address that is not in the contact list (a spammer).
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useFlint } from '../../store/store';
import { Button } from '../../ui/button';
import { Dialog, DialogError } from '../../ui/dialog';
import { TextField } from '../../ui/text-field';
import { useSession } from '../app/session-context';
import { looksLikeContactJid } from '../roster/add-contact-dialog';
import { block, unblock } from './contact-actions';

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

export function BlockedDialog({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const session = useSession();
  const blocked = useFlint((s) => s.profile.blocked);
  const list = Object.keys(blocked).sort(collator.compare);
  const [jid, setJid] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ref = useRef<HTMLInputElement>(null);

  const run = async (p: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await p();
      return true;
    } catch (err) {
      setError(t('errors.command', { detail: err instanceof Error ? err.message : String(err) }));
      return false;
    } finally {
      setBusy(false);
    }
  };

  const add = async (e: FormEvent) => {
    e.preventDefault();
    const bare = jid.trim();
    if (!looksLikeContactJid(bare)) {
      setFieldError(t('validation.contactJidInvalid'));
      ref.current?.focus();
      return;
    }
    if (await run(() => block(session.api, [bare]))) setJid('');
  };

  return (
    <Dialog title={t('blocked.title')} onClose={onClose} initialFocus={ref}>
      <p className="dialog__hint">{t('blocked.intro')}</p>
      {list.length === 0 ? (
        <p>{t('blocked.none')}</p>
      ) : (
        <ul className="blocked__list" aria-label={t('blocked.title')}>
          {list.map((j) => (
            <li key={j} className="blocked__item">
              <span className="blocked__jid">{j}</span>
              <Button size="small" disabled={busy} aria-label={t('blocked.unblockLabel', { jid: j })} onClick={() => void run(() => unblock(session.api, [j]))}>
                {t('blocked.unblock')}
              </Button>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={add} noValidate className="blocked__add">
        <TextField
          ref={ref}
          label={t('blocked.add')}
          value={jid}
          onChange={(v) => {
            setJid(v);
            setFieldError(null);
          }}
          error={fieldError ?? undefined}
          placeholder="spam@example.org"
          spellCheck={false}
          autoComplete="off"
        />
        <Button type="submit" disabled={busy}>
          {t('blocked.block')}
        </Button>
      </form>
      <DialogError error={error} />
      <div className="dialog__actions">
        <Button variant="primary" onClick={onClose}>
          {t('contacts.close')}
        </Button>
      </div>
    </Dialog>
  );
}
