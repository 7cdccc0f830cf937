// The account menu: a disclosure button ("Account") revealing plain buttons — Settings, Sign out.
// (A disclosure rather than role=menu: two actions do not need menu semantics, and buttons keep
// their ordinary names for screen readers and tests.)
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../ui/button';
import { useSession } from '../app/session-context';
import { SettingsDialog } from './settings-dialog';
// Issue 4: own profile and the blocklist.
import { BlockedDialog } from '../contacts/blocked-dialog';
import { ProfileDialog } from '../profile/profile-dialog';

export function AccountMenu() {
  const { t } = useTranslation();
  const session = useSession();
  const [open, setOpen] = useState(false);
  const [dialog, setDialog] = useState<'profile' | 'blocked' | 'settings' | null>(null);
  const id = useId();
  const wrapRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const onDown = (e: PointerEvent) => {
      if (!wrapRef.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onDown);
    return () => document.removeEventListener('pointerdown', onDown);
  }, [open]);

  const closeDialog = () => {
    setDialog(null);
    buttonRef.current?.focus();
  };
  const items: { label: string; run(): void }[] = [
    { label: t('profile.open'), run: () => setDialog('profile') },
    { label: t('blocked.open'), run: () => setDialog('blocked') },
    { label: t('menu.settings'), run: () => setDialog('settings') },
    { label: t('menu.signOut'), run: () => void session.logout() },
  ];

  return (
    <div
      ref={wrapRef}
      className="menu"
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          e.preventDefault();
          setOpen(false);
          buttonRef.current?.focus();
        }
      }}
    >
      <Button ref={buttonRef} variant="ghost" className="menu__button" aria-expanded={open} aria-controls={id} title={t('menu.account')} onClick={() => setOpen((o) => !o)}>
        <span aria-hidden="true" className="menu__icon">⋮</span>
        <span className="sr-only">{t('menu.account')}</span>
      </Button>
      <div id={id} className="menu__popover" hidden={!open}>
        {items.map((item) => (
          <Button
            key={item.label}
            variant="ghost"
            className="menu__item"
            onClick={() => {
              setOpen(false);
              item.run();
            }}
          >
            {item.label}
          </Button>
        ))}
      </div>
      {dialog === 'profile' ? <ProfileDialog onClose={closeDialog} /> : null}
      {dialog === 'blocked' ? <BlockedDialog onClose={closeDialog} /> : null}
      {dialog === 'settings' ? <SettingsDialog onClose={closeDialog} /> : null}
    </div>
  );
}
