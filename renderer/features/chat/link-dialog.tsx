// "Open link?": a link from a peer opens only after the user saw the full address and agreed.
import { createContext, useContext, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../ui/button';
import { Dialog, DialogError } from '../../ui/dialog';
import { useSession } from '../app/session-context';
import { errorText } from '../../../shared/error-text';

export const LinkOpenerContext = createContext<(url: string) => void>(() => {});
export const useLinkOpener = () => useContext(LinkOpenerContext);

export function LinkDialog({ url, onClose }: { url: string; onClose(): void }) {
  const { t } = useTranslation();
  const session = useSession();
  const cancelRef = useRef<HTMLButtonElement>(null);
  const descId = useId();
  const [error, setError] = useState<string | null>(null);

  const open = async () => {
    try {
      await session.openLink(url);
      onClose();
    } catch (err) {
      setError(t('errors.command', { detail: errorText(err) }));
    }
  };

  return (
    <Dialog title={t('link.title')} onClose={onClose} initialFocus={cancelRef} describedBy={descId}>
      <p id={descId}>{t('link.body')}</p>
      <p className="link-dialog__url">{url}</p>
      <DialogError error={error} />
      <div className="dialog__actions">
        <Button variant="primary" onClick={() => void open()}>
          {t('link.open')}
        </Button>
        <Button ref={cancelRef} onClick={onClose}>
          {t('link.cancel')}
        </Button>
      </div>
    </Dialog>
  );
}
