// Connection slice: the last connection.changed state, whether this sign-in ever reached online
// (which decides login screen vs main view), and the account being used.
import type { AccountSettings, ConnectionState } from '../../shared/domain';
import type { Action } from './actions';

export interface ConnectionSlice {
  state: ConnectionState;
  /** Reached 'online' since the last sign-in began; stays true through reconnects until sign-out. */
  signedIn: boolean;
  /** A sign-in started from the login screen (or a resume) is under way. */
  loginPending: boolean;
  /** The account signed in (or signing in), as main knows it. */
  account?: AccountSettings;
}

export const emptyConnection: ConnectionSlice = { state: { status: 'offline' }, signedIn: false, loginPending: false };

/** Statuses that mean a session exists or is being restored after having existed. */
const SESSION_STATUSES = new Set<ConnectionState['status']>(['online', 'reconnecting']);

export function applyConnection(s: ConnectionSlice, a: Action): ConnectionSlice {
  switch (a.name) {
    case 'connection.changed': {
      const state = a.payload.state;
      if (state.status === 'online') return { ...s, state, signedIn: true, loginPending: false };
      // A failed or abandoned first attempt ends the pending login; the login screen shows why.
      if (!s.signedIn && (state.status === 'failed' || state.status === 'offline')) return { ...s, state, loginPending: false };
      return { ...s, state };
    }
    case 'local.hydrated': {
      const { connection, settings } = a.payload.snapshot;
      const signedIn = SESSION_STATUSES.has(connection.status);
      const loginPending = connection.status === 'connecting' || connection.status === 'authenticating';
      return { state: connection, signedIn, loginPending, ...(settings ? { account: settings } : {}) };
    }
    case 'local.loginStarted': {
      // A new attempt: forget the previous failure so its error does not linger next to a field.
      // The status itself comes from main (connection.changed) as the attempt progresses.
      const status = s.state.status === 'failed' ? 'offline' : s.state.status;
      const next: ConnectionSlice = { state: { status }, signedIn: false, loginPending: true };
      const account = a.payload.account ?? s.account;
      return account ? { ...next, account } : next;
    }
    case 'local.loginEnded':
      return { ...s, loginPending: false };
    case 'local.loggedOut':
      return s.account ? { ...emptyConnection, account: s.account } : emptyConnection;
    default:
      return s;
  }
}
