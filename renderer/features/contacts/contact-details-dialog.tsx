// The contact card: picture, name, address, subscription state, groups; each online resource with
// its show, status, priority, client (XEP-0115/0030/0092 via contact.describe) and idle time
// (XEP-0319, else XEP-0012); and the contact's vCard (XEP-0054). Presence comes live from the
// store; client details and the vCard are asked once when the card opens.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommandResult } from '../../../shared/ipc/contract';
import type { ResourceDetails } from '../../../shared/ipc/profile-contract';
import { SHOW_RANK } from '../../store/presence';
import { displayName } from '../../store/roster-rows';
import { useFlint } from '../../store/store';
import { Avatar } from '../../ui/avatar';
import { Dialog, DialogCloseButton } from '../../ui/dialog';
import { PresenceDot } from '../../ui/presence-dot';
import { useSession } from '../app/session-context';
import { useAvatarUrl } from '../profile/use-avatar';
import { usePresenceInfo } from '../roster/contact-presence';
import { clientText, idleAmount, idleSeconds } from './format';
import { errorText } from '../../../shared/error-text';

type Loaded<T> = { t: 'loading' } | { t: 'ok'; value: T } | { t: 'error'; detail: string };

function useCommand<T>(run: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<Loaded<T>>({ t: 'loading' });
  useEffect(() => {
    let live = true;
    setState({ t: 'loading' });
    run().then(
      (value) => live && setState({ t: 'ok', value }),
      (err: unknown) => live && setState({ t: 'error', detail: errorText(err) }),
    );
    return () => {
      live = false;
    };
    // The caller names what the command depends on.
  }, deps);
  return state;
}

export function IdleText({ seconds }: { seconds: number | undefined }) {
  const { t } = useTranslation();
  const amount = idleAmount(seconds);
  if (!amount) return null;
  return <>{t(`contacts.details.idle.${amount.unit}`, { count: amount.count })}</>;
}

export function ContactDetailsDialog({ jid, onClose }: { jid: string; onClose(): void }) {
  const { t } = useTranslation();
  const session = useSession();
  const contact = useFlint((s) => s.roster.contacts[jid]);
  const resources = useFlint((s) => s.presence.byJid.get(jid)?.resources);
  const blocked = useFlint((s) => s.profile.blocked[jid] === true);
  const presence = usePresenceInfo(jid);
  const avatar = useAvatarUrl(jid);
  const vcard = useCommand<CommandResult<'profile.get'>>(() => session.api.invoke('profile.get', { jid }), [jid]);
  // The name the user gave them, else the one they gave themselves (vCard), else the address.
  const ownName = vcard.t === 'ok' ? (vcard.value.vcard.fn ?? vcard.value.vcard.nickname) : undefined;
  const name = contact?.name?.trim() ? displayName(contact) : (ownName ?? jid);
  const resourceNames = resources ? Object.keys(resources).sort().join('\n') : '';
  // Asked again when a resource comes or goes.
  const described = useCommand<ResourceDetails[]>(() => (resourceNames === '' ? Promise.resolve([]) : session.api.invoke('contact.describe', { jid })), [jid, resourceNames]);
  const now = Date.now();

  const list = resources ? Object.values(resources).sort((a, b) => b.priority - a.priority || SHOW_RANK[b.show] - SHOW_RANK[a.show] || (a.resource < b.resource ? -1 : 1)) : [];
  const detailsOf = (resource: string) => (described.t === 'ok' ? described.value.find((d) => d.resource === resource) : undefined);

  const subscriptionText = !contact
    ? t('contacts.details.notInRoster')
    : contact.ask
      ? t('contacts.details.subscription.pending')
      : t(`contacts.details.subscription.${contact.subscription}`);

  const card = vcard.t === 'ok' ? vcard.value.vcard : undefined;
  const rows: [string, string | undefined][] = card
    ? [
        [t('profile.fields.fn'), card.fn],
        [t('profile.fields.nickname'), card.nickname],
        [t('profile.fields.email'), card.email.join(', ') || undefined],
        [t('profile.fields.tel'), card.tel.join(', ') || undefined],
        [t('profile.fields.org'), [card.org?.name, card.org?.unit].filter(Boolean).join(', ') || undefined],
        [t('profile.fields.title'), card.title],
      ]
    : [];
  const filled = rows.filter((r): r is [string, string] => r[1] !== undefined && r[1] !== '');

  return (
    <Dialog title={t('contacts.details.title')} onClose={onClose} className="dialog--wide">
      <div className="card__head">
        <Avatar name={name} colorKey={jid} size="xlarge" src={avatar ?? (vcard.t === 'ok' ? (vcard.value.photo ?? undefined) : undefined)} label={t('contacts.details.picture', { name })} />
        <div className="card__names">
          <p className="card__name">{name}</p>
          {name !== jid ? <p className="card__jid">{jid}</p> : null}
          <p className="card__presence">
            <PresenceDot kind={presence.kind} />
            <span>{presence.text}</span>
            {presence.status ? <span className="card__status">— {presence.status}</span> : null}
          </p>
        </div>
      </div>
      <dl className="card__facts">
        <dt>{t('contacts.details.subscriptionLabel')}</dt>
        <dd>{subscriptionText}</dd>
        {contact && contact.groups.length > 0 ? (
          <>
            <dt>{t('contacts.details.groups')}</dt>
            <dd>{contact.groups.join(', ')}</dd>
          </>
        ) : null}
        {blocked ? (
          <>
            <dt>{t('contacts.details.blockedLabel')}</dt>
            <dd>{t('contacts.details.blocked')}</dd>
          </>
        ) : null}
      </dl>

      <h3 className="card__section">{t('contacts.details.resources')}</h3>
      {list.length === 0 ? (
        <p className="dialog__hint">{t('contacts.details.noResources')}</p>
      ) : (
        <ul className="card__resources" aria-label={t('contacts.details.resources')}>
          {list.map((r) => {
            const d = detailsOf(r.resource);
            const client = clientText(d?.client);
            const idle = idleSeconds(r, d?.idleSeconds, now);
            return (
              <li key={r.resource} className="card__resource">
                <p className="card__resource-name">
                  <PresenceDot kind={r.show} />
                  <span>{r.resource || t('contacts.details.noResourceName')}</span>
                  <span className="card__muted">
                    {t(`presence.${r.show}`)} · {t('contacts.details.priority', { priority: r.priority })}
                  </span>
                </p>
                {r.status ? <p className="card__resource-status">“{r.status}”</p> : null}
                <p className="card__muted">
                  {described.t === 'loading' ? t('contacts.details.clientLoading') : client ? t('contacts.details.client', { client }) : t('contacts.details.clientUnknown')}
                </p>
                {idle !== undefined && idleAmount(idle) ? (
                  <p className="card__muted">
                    <IdleText seconds={idle} />
                  </p>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}

      <h3 className="card__section">{t('contacts.details.profile')}</h3>
      {vcard.t === 'loading' ? (
        <p className="dialog__hint" role="status">
          {t('contacts.details.profileLoading')}
        </p>
      ) : vcard.t === 'error' ? (
        <p className="dialog__error">{t('errors.command', { detail: vcard.detail })}</p>
      ) : filled.length === 0 ? (
        <p className="dialog__hint">{t('contacts.details.noProfile')}</p>
      ) : (
        <dl className="card__facts">
          {filled.map(([k, v]) => (
            <div key={k} className="card__fact">
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
      )}
      <DialogCloseButton label={t('contacts.close')} onClose={onClose} />
    </Dialog>
  );
}
