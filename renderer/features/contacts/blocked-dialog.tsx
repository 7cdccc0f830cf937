// "Blocked contacts" (XEP-0191): everyone on the server-side blocklist, each with Unblock, and a
// field to block an address that is not in the contact list (a spammer).
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useFlint } from '../../store/store';
import { Button } from '../../ui/button';
import { Dialog, DialogCloseButton, DialogError } from '../../ui/dialog';
import { useDialogAction } from '../../ui/dialog-action';
import { TextField } from '../../ui/text-field';
import { useTextField } from '../../ui/use-text-field';
import { useSession } from '../app/session-context';
import { looksLikeContactJid } from '../roster/add-contact-dialog';
import { block, unblock } from './contact-actions';

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

export function BlockedDialog({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const session = useSession();
  const blocked = useFlint((s) => s.profile.blocked);
  const list = Object.keys(blocked).sort(collator.compare);
  const jid = useTextField('');
  const { busy, error, run } = useDialogAction((detail) => t('errors.command', { detail }));

  const add = async (e: FormEvent) => {
    e.preventDefault();
    const bare = jid.value.trim();
    if (!looksLikeContactJid(bare)) return jid.reject(t('validation.contactJidInvalid'));
    if (await run(() => block(session.api, [bare]))) jid.set('');
  };

  return (
    <Dialog title={t('blocked.title')} onClose={onClose} initialFocus={jid.props.ref}>
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
        <TextField {...jid.props} label={t('blocked.add')} placeholder="spam@example.org" spellCheck={false} autoComplete="off" />
        <Button type="submit" disabled={busy}>
          {t('blocked.block')}
        </Button>
      </form>
      <DialogError error={error} />
      <DialogCloseButton label={t('contacts.close')} onClose={onClose} />
    </Dialog>
  );
}
