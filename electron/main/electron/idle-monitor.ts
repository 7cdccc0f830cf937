// The system idle time for auto-away, from Electron's powerMonitor (usable once the app is ready;
// the account service first asks a few seconds after sign-in).
import { powerMonitor } from 'electron';
import type { IdleMonitor } from '../accounts/idle';

export const electronIdleMonitor: IdleMonitor = {
  systemIdleSeconds: () => powerMonitor.getSystemIdleTime(),
};
