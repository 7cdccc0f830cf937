import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { action, type LocaleChoice, type ThemeChoice } from '../../store/actions';
import { dispatch, useFlint } from '../../store/store';
import { Button } from '../../ui/button';
import { Dialog, DialogCloseButton } from '../../ui/dialog';
import { SelectField } from '../../ui/select-field';
// Issue 4: auto-away, saved status messages, password change.
import { AutoAwaySettingsSection, SavedStatusesSection } from '../profile/auto-away-settings';
import { ChangePasswordDialog } from '../profile/change-password-dialog';
// Issue 6: the download folder.
import { DownloadFolderSection } from '../transfers/download-folder-setting';

export function SettingsDialog({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const theme = useFlint((s) => s.settings.theme);
  const locale = useFlint((s) => s.settings.locale);
  const themes: ThemeChoice[] = ['system', 'light', 'dark'];
  const locales: LocaleChoice[] = ['system', 'en', 'zh-CN'];
  const signedIn = useFlint((s) => s.connection.signedIn);
  const [changingPassword, setChangingPassword] = useState(false);
  return (
    <Dialog title={t('settings.title')} onClose={onClose} className="dialog--settings">
      <SelectField label={t('settings.theme')} value={theme} options={themes.map((v) => ({ value: v, label: t(`settings.themes.${v}`) }))} onChange={(v) => dispatch(action('local.themeChosen', { theme: v }))} />
      <SelectField
        label={t('settings.language')}
        value={locale}
        options={locales.map((v) => ({ value: v, label: t(`settings.languages.${v}`) }))}
        onChange={(v) => dispatch(action('local.localeChosen', { locale: v }))}
      />
      <AutoAwaySettingsSection />
      <SavedStatusesSection />
      {signedIn ? <DownloadFolderSection /> : null}
      {signedIn ? (
        <fieldset className="settings__section">
          <legend className="settings__legend">{t('password.section')}</legend>
          <Button onClick={() => setChangingPassword(true)}>{t('password.open')}</Button>
        </fieldset>
      ) : null}
      {changingPassword ? <ChangePasswordDialog onClose={() => setChangingPassword(false)} /> : null}
      <DialogCloseButton label={t('settings.close')} onClose={onClose} />
    </Dialog>
  );
}
