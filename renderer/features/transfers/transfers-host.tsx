// What the transfer feature needs once per signed-in window: main's transfer settings, a guard so
// a file dropped outside a conversation is not opened by the browser (in Electron that would
// navigate the window to file://), and one polite live region that says when an offer arrives and
// when a transfer ends.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FINAL_STATES, type TransferInfo } from '../../../shared/transfer';
import { displayName } from '../../store/roster-rows';
import { flintStore, getState } from '../../store/store';
import { useTransferActions } from './transfer-actions';
import { errorLine } from './transfer-text';

const peerNameOf = (peer: string): string => {
  const c = getState().roster.contacts[peer];
  return c ? displayName(c) : peer;
};

export function TransfersHost() {
  const { t } = useTranslation();
  const actions = useTransferActions();
  const [said, setSaid] = useState('');

  useEffect(() => {
    actions.loadSettings().catch(() => {});
  }, [actions]);

  useEffect(() => {
    const guard = (e: DragEvent) => {
      if (!e.dataTransfer || !Array.from(e.dataTransfer.types).includes('Files')) return;
      // Conversations handle their own drops (and call preventDefault first).
      if (e.defaultPrevented) return;
      e.preventDefault();
      if (e.type === 'dragover') e.dataTransfer.dropEffect = 'none';
    };
    window.addEventListener('dragover', guard);
    window.addEventListener('drop', guard);
    return () => {
      window.removeEventListener('dragover', guard);
      window.removeEventListener('drop', guard);
    };
  }, []);

  useEffect(
    () =>
      flintStore.subscribe((s, prev) => {
        if (s.transfers.byId === prev.transfers.byId) return;
        const lines: string[] = [];
        for (const id of s.transfers.order) {
          const now = s.transfers.byId[id]!;
          const before: TransferInfo | undefined = prev.transfers.byId[id];
          if (before?.state === now.state) continue;
          const peer = peerNameOf(now.peer);
          if (!before && now.direction === 'in' && now.state === 'offered') lines.push(t('transfers.announce.offer', { peer, name: now.name }));
          else if (before && now.state === 'done') lines.push(t('transfers.announce.done', { name: now.name }));
          else if (before && FINAL_STATES.has(now.state)) lines.push(t('transfers.announce.failed', { name: now.name, reason: errorLine(t, now, peer) ?? t(`transfers.short.${now.state}`) }));
        }
        if (lines.length > 0) setSaid(lines.join(' '));
      }),
    [t],
  );

  return (
    <p className="sr-only" role="status" aria-live="polite">
      {said}
    </p>
  );
}
