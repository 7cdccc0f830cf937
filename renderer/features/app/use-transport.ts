import { useEffect, useState } from 'react';
import type { TransportState } from '../../api';
import { useSession } from './session-context';

/** The state of the link to main (only ever 'open' in Electron). */
export function useTransport(): TransportState {
  const session = useSession();
  const [state, setState] = useState<TransportState>('connecting');
  useEffect(() => session.onTransport(setState), [session]);
  return state;
}
