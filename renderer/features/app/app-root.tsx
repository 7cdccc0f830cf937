// Which screen: "starting" until the first snapshot is in, then the login screen until a sign-in
// reaches online, then the main view (which stays through reconnects until sign-out).
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CertificateDialog } from '../certificate/certificate-dialog';
import { LoginScreen } from '../login/login-screen';
import { MainView } from '../main-view/main-view';
import { useFlint } from '../../store/store';
import { useSession } from './session-context';
import { SettingsEffects } from './settings-effects';
import { errorText } from '../../../shared/error-text';

type Phase = { t: 'starting' } | { t: 'ready' } | { t: 'error'; detail: string };

export function AppRoot() {
  const session = useSession();
  const { t } = useTranslation();
  const [phase, setPhase] = useState<Phase>({ t: 'starting' });
  const signedIn = useFlint((s) => s.connection.signedIn);

  useEffect(() => {
    let live = true;
    session.start().then(
      () => live && setPhase({ t: 'ready' }),
      (err: unknown) => live && setPhase({ t: 'error', detail: errorText(err) }),
    );
    return () => {
      live = false;
    };
  }, [session]);

  return (
    <>
      <SettingsEffects />
      {phase.t === 'starting' ? (
        <p className="app-starting" role="status">
          {t('app.starting')}
        </p>
      ) : phase.t === 'error' && !signedIn ? (
        <p className="app-starting" role="alert">
          {t('app.startFailed', { detail: phase.detail })}
        </p>
      ) : signedIn ? (
        <MainView />
      ) : (
        <LoginScreen />
      )}
      <CertificateDialog />
    </>
  );
}
