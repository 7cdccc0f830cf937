// Settings → File transfers: the download folder. "Change…" opens the system's folder dialog where
// main has one (Electron); in the browser bridge the new folder is typed, and main's refusal (not
// absolute, missing, not writable) is shown under the field.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFlint } from '../../store/store';
import { Button } from '../../ui/button';
import { TextField } from '../../ui/text-field';
import { useTransferActions } from './transfer-actions';
import { errorText } from '../../../shared/error-text';

export function DownloadFolderSection() {
  const { t } = useTranslation();
  const actions = useTransferActions();
  const settings = useFlint((s) => s.transfers.settings);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const changeRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (settings) return;
    actions.loadSettings().catch((err: unknown) => setLoadError(errorText(err)));
  }, [actions, settings]);

  // Into the field when it opens; back to "Change…" when it closes (it replaced the button).
  const wasEditing = useRef(false);
  useEffect(() => {
    if (editing) inputRef.current?.focus();
    else if (wasEditing.current) changeRef.current?.focus();
    wasEditing.current = editing;
  }, [editing]);

  const change = async () => {
    setError(null);
    if (!settings?.nativeDialogs) {
      setDraft(settings?.downloadFolder ?? '');
      setEditing(true);
      return;
    }
    setBusy(true);
    try {
      await actions.chooseDownloadFolder();
    } catch (err) {
      setError(t('transfers.actionFailed', { detail: errorText(err) }));
    } finally {
      setBusy(false);
    }
  };

  const stopEditing = () => {
    setEditing(false);
    setError(null);
  };

  const save = async (e: { preventDefault(): void }) => {
    e.preventDefault();
    const folder = draft.trim();
    if (folder === '') {
      setError(t('transfers.settings.required'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await actions.setDownloadFolder(folder);
      setBusy(false);
      stopEditing();
    } catch (err) {
      setBusy(false);
      setError(errorText(err));
    }
  };

  return (
    <fieldset className="settings__section download-folder">
      <legend className="settings__legend">{t('transfers.settings.section')}</legend>
      {settings ? (
        <TextField label={t('transfers.settings.folder')} value={settings.downloadFolder} onChange={() => {}} readOnly hint={t('transfers.settings.hint')} spellCheck={false} />
      ) : (
        <p className="dialog__hint">{loadError ? t('transfers.settings.unavailable', { detail: loadError }) : t('transfers.settings.loading')}</p>
      )}
      {editing ? (
        // A form of its own inside the Settings dialog would nest forms: submit on Enter by hand.
        <div
          className="download-folder__edit"
          onKeyDown={(e) => {
            if (e.key === 'Enter') void save(e);
            else if (e.key === 'Escape') {
              e.preventDefault();
              e.stopPropagation();
              stopEditing();
            }
          }}
        >
          <TextField
            ref={inputRef}
            label={t('transfers.settings.newFolder')}
            value={draft}
            onChange={(v) => {
              setDraft(v);
              setError(null);
            }}
            error={error ?? undefined}
            hint={t('transfers.settings.newFolderHint')}
            spellCheck={false}
            autoComplete="off"
            maxLength={4096}
          />
          <div className="download-folder__buttons">
            <Button size="small" variant="primary" disabled={busy} onClick={(e) => void save(e)}>
              {t('transfers.settings.save')}
            </Button>
            <Button size="small" onClick={stopEditing}>
              {t('transfers.settings.cancel')}
            </Button>
          </div>
        </div>
      ) : (
        <>
          <Button ref={changeRef} size="small" disabled={busy || !settings} onClick={() => void change()}>
            {t('transfers.settings.change')}
          </Button>
          {error ? (
            <p className="field__error" role="alert">
              {error}
            </p>
          ) : null}
        </>
      )}
    </fieldset>
  );
}
