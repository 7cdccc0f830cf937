// The signed-in window: connection banner on top; on the left who I am, contact requests and
// the contact list; on the right the conversations. Focus starts in the contact filter.
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ChatArea } from '../chat/chat-area';
import { warmFormatters } from '../chat/format';
import { ChatWarmUpHost } from '../chat/warm-up';
import { ConnectionBanner } from '../connection/connection-banner';
import { OwnPresence } from '../presence/own-presence';
import { RosterPanel } from '../roster/roster-panel';
import { AccountMenu } from '../settings/account-menu';
import { SubscriptionRequests } from '../subscriptions/subscription-requests';
// Issue 6: the "File transfers" button and panel.
import { TransfersHost } from '../transfers/transfers-host';
import { TransfersButton, TransfersPanel } from '../transfers/transfers-panel';
import './main-view.css';

export function MainView() {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const filterRef = useRef<HTMLInputElement>(null);
  const [transfersOpen, setTransfersOpen] = useState(false);
  const transfersButtonRef = useRef<HTMLButtonElement>(null);
  const transfersId = `${useId()}-transfers`;

  useEffect(() => {
    filterRef.current?.focus();
  }, []);

  // The first conversation that opens should not pay for loading the locale's date data.
  useEffect(() => {
    const id = requestIdleCallback(() => warmFormatters(lng), { timeout: 2_000 });
    return () => cancelIdleCallback(id);
  }, [lng]);

  return (
    <div className="main">
      <ConnectionBanner />
      <div className="main__body">
        <aside className="sidebar" aria-label={t('app.name')}>
          <header className="sidebar__header">
            <OwnPresence />
            <TransfersButton ref={transfersButtonRef} open={transfersOpen} controls={transfersOpen ? transfersId : undefined} onToggle={() => setTransfersOpen((o) => !o)} />
            <AccountMenu />
          </header>
          <SubscriptionRequests />
          <RosterPanel filterRef={filterRef} />
        </aside>
        <main className="main__chat">
          <ChatArea />
          {/* The first conversation opened should not pay for the chat's first render (issue 5). */}
          <ChatWarmUpHost />
        </main>
        {transfersOpen ? (
          <TransfersPanel
            id={transfersId}
            onClose={() => {
              setTransfersOpen(false);
              transfersButtonRef.current?.focus();
            }}
          />
        ) : null}
        <TransfersHost />
      </div>
    </div>
  );
}
