// Renderer entry: settings from storage, i18n, the transport to main, then React.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { createApi } from './api';
import { AppRoot } from './features/app/app-root';
import { Session } from './features/app/session';
import { SessionContext } from './features/app/session-context';
import { initI18n, resolveLocale } from './i18n';
import { getState, persistSettings } from './store/store';
import './theme/tokens.css';
import './theme/base.css';
import './ui/ui.css';
import { errorText } from '../shared/error-text';

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

async function boot(): Promise<void> {
  persistSettings(storage());
  const i18n = await initI18n(resolveLocale(getState().settings.locale));
  const root = createRoot(document.getElementById('root')!);
  let session: Session;
  try {
    session = new Session(createApi());
  } catch (err) {
    // Without a transport there is nothing to show but why.
    root.render(
      <p className="app-starting" role="alert">
        {i18n.t('app.startFailed', { detail: errorText(err) })}
      </p>,
    );
    return;
  }
  root.render(
    <StrictMode>
      <I18nextProvider i18n={i18n}>
        <SessionContext.Provider value={session}>
          <AppRoot />
        </SessionContext.Provider>
      </I18nextProvider>
    </StrictMode>,
  );
}

void boot();
