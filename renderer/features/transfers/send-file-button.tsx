// "Send file" in the composer. With native dialogs (Electron) main shows the open dialog and sends
// what the user chose (the dialog is the confirmation); otherwise a hidden file input picks files
// in the page, which go through the same confirmation as a drop.
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getState } from '../../store/store';
import { Button } from '../../ui/button';
import { useTransferActions } from './transfer-actions';
import { errorText } from '../../../shared/error-text';

export function SendFileButton({ peer, onFiles }: { peer: string; onFiles(files: File[]): void }) {
  const { t } = useTranslation();
  const actions = useTransferActions();
  const inputRef = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<string | null>(null);

  const click = async () => {
    setError(null);
    let native = getState().transfers.settings?.nativeDialogs;
    if (native === undefined) native = await actions.loadSettings().then((s) => s.nativeDialogs, () => false);
    if (!native) {
      inputRef.current?.click();
      return;
    }
    try {
      await actions.pickAndSend(peer);
    } catch (err) {
      setError(t('transfers.actionFailed', { detail: errorText(err) }));
    }
  };

  return (
    <>
      <Button variant="ghost" className="composer__attach" title={t('transfers.sendFile')} onClick={() => void click()}>
        <svg className="composer__attach-icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
          <path d="M21.4 11.1l-9.2 9.2a6 6 0 0 1-8.5-8.5l9.2-9.2a4 4 0 0 1 5.7 5.7l-9.2 9.2a2 2 0 0 1-2.8-2.8l8.5-8.5" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
        <span className="sr-only">{t('transfers.sendFile')}</span>
      </Button>
      {/* Reached through "Send file"; the input itself stays out of the tab order. */}
      <input
        ref={inputRef}
        type="file"
        multiple
        hidden
        tabIndex={-1}
        onChange={(e) => {
          const files = Array.from(e.target.files ?? []);
          // Clear it, so choosing the same file again fires change again.
          e.target.value = '';
          onFiles(files);
        }}
      />
      {error ? (
        <p className="composer__error" role="alert">
          {error}
        </p>
      ) : null}
    </>
  );
}
