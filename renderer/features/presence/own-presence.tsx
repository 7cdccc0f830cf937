// Who I am and how I appear: avatar placeholder, my JID, the status selector and a status message
// (RFC 6121 §4.7.2: <show/> and <status/>), sent with presence.set.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Show } from '../../../shared/domain';
import { action } from '../../store/actions';
import { dispatch, useFlint } from '../../store/store';
import { Button } from '../../ui/button';
import { useAvatarUrl } from '../profile/use-avatar';
import { Avatar } from '../../ui/avatar';
import { PresenceDot } from '../../ui/presence-dot';
import { SelectField } from '../../ui/select-field';
import { TextField } from '../../ui/text-field';
import { useSession } from '../app/session-context';
import './presence.css';

const SHOWS: readonly Show[] = ['available', 'chat', 'away', 'xa', 'dnd'];

export function OwnPresence() {
  const { t } = useTranslation();
  const session = useSession();
  const own = useFlint((s) => s.presence.own);
  const jid = useFlint((s) => s.connection.account?.jid ?? s.connection.state.jid?.split('/')[0] ?? '');
  const online = useFlint((s) => s.connection.state.status === 'online');
  // Issue 4: our picture, and saved status messages to pick from the selector.
  const avatar = useAvatarUrl(jid);
  const savedStatuses = useFlint((s) => s.settings.savedStatuses);
  // The show the user picked; shown even while offline so it is what we come back with.
  const [show, setShow] = useState<Show>(own.show === 'offline' ? 'available' : own.show);
  const [status, setStatus] = useState(own.status ?? '');
  const [sentStatus, setSentStatus] = useState(own.status ?? '');

  // The last status sent or echoed, read by the echo effect without re-running it.
  const sentRef = useRef(sentStatus);

  // Follow what the server echoes (another of our clients may have changed it) — but never wipe a
  // status message the user is still typing: the echo of a show change picked a moment ago can
  // arrive between their keystrokes and Enter. Only an untouched field follows the echo.
  useEffect(() => {
    if (own.show !== 'offline') setShow(own.show);
    const echoed = own.status ?? '';
    const before = sentRef.current;
    setStatus((draft) => (draft === before ? echoed : draft));
    sentRef.current = echoed;
    setSentStatus(echoed);
  }, [own]);

  const apply = (nextShow: Show, nextStatus: string) => {
    sentRef.current = nextStatus;
    setSentStatus(nextStatus);
    void session.setPresence(nextShow, nextStatus.trim()).catch(() => {});
  };

  return (
    <div className="own">
      <div className="own__identity">
        <span className="own__avatar">
          <Avatar name={jid} colorKey={jid} size="large" src={avatar} />
          <PresenceDot kind={online ? show : 'offline'} />
        </span>
        <div className="own__names">
          <p className="own__jid" title={jid}>
            {jid}
          </p>
          <SelectField
            className="own__show"
            label={t('presence.status')}
            labelHidden
            value={show}
            options={SHOWS.map((s) => ({ value: s, label: t(`presence.${s}`) }))}
            groups={[{ label: t('savedStatus.title'), options: savedStatuses.map((x, i) => ({ value: `saved:${i}` as Show, label: `${t(`presence.${x.show}`)}: ${x.status}` })) }]}
            onChange={(s) => {
              const picked = s.startsWith('saved:') ? savedStatuses[Number(s.slice(6))] : undefined;
              if (picked) {
                setShow(picked.show);
                setStatus(picked.status);
                apply(picked.show, picked.status);
                return;
              }
              setShow(s);
              apply(s, status);
            }}
          />
        </div>
      </div>
      <TextField
        className="own__status"
        label={t('presence.statusMessage')}
        labelHidden
        value={status}
        placeholder={t('presence.statusMessagePlaceholder')}
        maxLength={1024}
        onChange={setStatus}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            apply(show, status);
          } else if (e.key === 'Escape') {
            setStatus(sentStatus);
          }
        }}
        onBlur={() => {
          if (status !== sentStatus) apply(show, status);
        }}
      />
      {status.trim() !== '' && !savedStatuses.some((x) => x.show === show && x.status === status.trim()) ? (
        <Button size="small" variant="link" className="own__save" onClick={() => dispatch(action('local.statusSaved', { show, status }))}>
          {t('savedStatus.save')}
        </Button>
      ) : null}
    </div>
  );
}
