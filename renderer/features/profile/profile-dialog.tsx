// "Edit profile": our vCard (XEP-0054) — full name, nickname, email, phone, organization, job
// title — and our picture, scaled to ≤ 192 px here and published by main both ways (XEP-0084 PEP
// and the vCard photo + presence hash of XEP-0153). Fields the dialog does not show stay as they are.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { VCard } from '../../../shared/profile';
import { useFlint } from '../../store/store';
import { Avatar } from '../../ui/avatar';
import { Button } from '../../ui/button';
import { Dialog, DialogError } from '../../ui/dialog';
import { TextField } from '../../ui/text-field';
import { useSession } from '../app/session-context';
import { ImageUnreadableError, scaleImage, type ScaledImage } from './scale-image';
import { useAvatarUrl } from './use-avatar';
import './profile.css';
import { errorText } from '../../../shared/error-text';

interface Fields {
  fn: string;
  nickname: string;
  email: string;
  tel: string;
  org: string;
  title: string;
}

const emptyFields: Fields = { fn: '', nickname: '', email: '', tel: '', org: '', title: '' };

/** Several emails or phone numbers: one per comma. */
const list = (s: string) => [...new Set(s.split(',').map((x) => x.trim()).filter((x) => x !== ''))];

export function fieldsOf(card: Omit<VCard, 'photo'>): Fields {
  return { fn: card.fn ?? '', nickname: card.nickname ?? '', email: card.email.join(', '), tel: card.tel.join(', '), org: card.org?.name ?? '', title: card.title ?? '' };
}

/** The vCard to write; the org unit, which the dialog does not show, is kept. */
export function vcardOf(f: Fields, before: Omit<VCard, 'photo'> | null): Omit<VCard, 'photo'> {
  const out: Omit<VCard, 'photo'> = { email: list(f.email), tel: list(f.tel) };
  if (f.fn.trim()) out.fn = f.fn.trim();
  if (f.nickname.trim()) out.nickname = f.nickname.trim();
  if (f.title.trim()) out.title = f.title.trim();
  const unit = before?.org?.unit;
  if (f.org.trim() || unit) out.org = { ...(f.org.trim() ? { name: f.org.trim() } : {}), ...(unit ? { unit } : {}) };
  return out;
}

type Photo = { t: 'unchanged' } | { t: 'new'; image: ScaledImage } | { t: 'removed' };

export function ProfileDialog({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const session = useSession();
  const jid = useFlint((s) => s.connection.account?.jid ?? s.connection.state.jid?.split('/')[0] ?? '');
  const current = useAvatarUrl(jid);
  const [loaded, setLoaded] = useState<Omit<VCard, 'photo'> | null>(null);
  const [fields, setFields] = useState<Fields>(emptyFields);
  const [photo, setPhoto] = useState<Photo>({ t: 'unchanged' });
  const [loadError, setLoadError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const fileRef = useRef<HTMLInputElement>(null);
  const firstRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    let live = true;
    session.api.invoke('profile.get', {}).then(
      (r) => {
        if (!live) return;
        setLoaded(r.vcard);
        setFields(fieldsOf(r.vcard));
        requestAnimationFrame(() => firstRef.current?.focus());
      },
      (err: unknown) => live && setLoadError(t('errors.command', { detail: errorText(err) })),
    );
    return () => {
      live = false;
    };
  }, [session, t]);

  const set = (k: keyof Fields) => (v: string) => setFields((f) => ({ ...f, [k]: v }));

  const pick = async (file: File | undefined) => {
    if (!file) return;
    setError(null);
    try {
      setPhoto({ t: 'new', image: await scaleImage(file) });
    } catch (err) {
      setError(err instanceof ImageUnreadableError ? t('profile.photoUnreadable') : t('errors.command', { detail: String(err) }));
    }
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await session.api.invoke('profile.set', { vcard: vcardOf(fields, loaded) });
      if (photo.t === 'new') await session.api.invoke('avatar.setOwn', { image: { type: photo.image.type, data: photo.image.data } });
      else if (photo.t === 'removed') await session.api.invoke('avatar.setOwn', { image: null });
      onClose();
    } catch (err) {
      setError(t('errors.command', { detail: errorText(err) }));
      setBusy(false);
    }
  };

  const preview = photo.t === 'new' ? photo.image.dataUrl : photo.t === 'removed' ? undefined : current;
  const name = fields.fn || jid;

  return (
    <Dialog title={t('profile.title')} onClose={onClose} className="dialog--wide">
      <form onSubmit={save} noValidate className="dialog__form profile">
        <div className="profile__photo">
          <Avatar name={name} colorKey={jid} size="xlarge" src={preview} label={t('profile.picture')} />
          <div className="profile__photo-actions">
            <p className="profile__jid">{jid}</p>
            <Button size="small" disabled={busy} onClick={() => fileRef.current?.click()}>
              {t('profile.choosePhoto')}
            </Button>
            {preview ? (
              <Button size="small" variant="ghost" disabled={busy} onClick={() => setPhoto({ t: 'removed' })}>
                {t('profile.removePhoto')}
              </Button>
            ) : null}
            <p className="dialog__hint">{t('profile.photoHint')}</p>
            {/* Reached through "Choose picture…"; the input itself stays out of the tab order. */}
            <input
              ref={fileRef}
              type="file"
              accept="image/png,image/jpeg,image/gif,image/webp"
              hidden
              tabIndex={-1}
              onChange={(e) => {
                void pick(e.target.files?.[0]);
                e.target.value = '';
              }}
            />
          </div>
        </div>
        <DialogError error={loadError} />
        {!loadError && !loaded ? (
          <p className="dialog__hint" role="status">
            {t('profile.loading')}
          </p>
        ) : null}
        <div className="profile__grid">
          <TextField ref={firstRef} label={t('profile.fields.fn')} value={fields.fn} onChange={set('fn')} disabled={!loaded || busy} autoComplete="name" maxLength={1023} />
          <TextField label={t('profile.fields.nickname')} value={fields.nickname} onChange={set('nickname')} disabled={!loaded || busy} autoComplete="nickname" maxLength={1023} />
          <TextField label={t('profile.fields.email')} value={fields.email} onChange={set('email')} disabled={!loaded || busy} autoComplete="email" hint={t('profile.severalHint')} />
          <TextField label={t('profile.fields.tel')} value={fields.tel} onChange={set('tel')} disabled={!loaded || busy} autoComplete="tel" hint={t('profile.severalHint')} />
          <TextField label={t('profile.fields.org')} value={fields.org} onChange={set('org')} disabled={!loaded || busy} autoComplete="organization" maxLength={1023} />
          <TextField label={t('profile.fields.title')} value={fields.title} onChange={set('title')} disabled={!loaded || busy} autoComplete="organization-title" maxLength={1023} />
        </div>
        <DialogError error={error} />
        <div className="dialog__actions">
          <Button type="submit" variant="primary" disabled={!loaded || busy}>
            {busy ? t('profile.saving') : t('profile.save')}
          </Button>
          <Button onClick={onClose}>{t('contacts.cancel')}</Button>
        </div>
      </form>
    </Dialog>
  );
}
