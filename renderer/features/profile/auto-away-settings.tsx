// Settings → Presence: auto-away (after N idle minutes Away, after M Extended away; an off switch)
// and the saved status messages. Auto-away runs in main (it must work with the window closed), so
// a change is sent there at once; main keeps it and hands it back in the snapshot.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AutoAwaySettings } from '../../../shared/ipc/profile-contract';
import { action } from '../../store/actions';
import { dispatch, useFlint } from '../../store/store';
import { Button } from '../../ui/button';
import { Checkbox } from '../../ui/checkbox';
import { DialogError } from '../../ui/dialog';
import { TextField } from '../../ui/text-field';
import { useSession } from '../app/session-context';
import './profile.css';
import { errorText } from '../../../shared/error-text';

/** The minutes as typed, or an error key. */
export function checkAutoAway(away: string, xa: string): { ok: true; awayMinutes: number; xaMinutes: number } | { ok: false; field: 'away' | 'xa'; key: 'autoAway.invalid' | 'autoAway.xaBeforeAway' } {
  const a = /^\d{1,4}$/.test(away.trim()) ? Number(away) : NaN;
  const x = /^\d{1,4}$/.test(xa.trim()) ? Number(xa) : NaN;
  if (!(a >= 1 && a <= 1440)) return { ok: false, field: 'away', key: 'autoAway.invalid' };
  if (!(x >= 1 && x <= 1440)) return { ok: false, field: 'xa', key: 'autoAway.invalid' };
  if (x < a) return { ok: false, field: 'xa', key: 'autoAway.xaBeforeAway' };
  return { ok: true, awayMinutes: a, xaMinutes: x };
}

export function AutoAwaySettingsSection() {
  const { t } = useTranslation();
  const session = useSession();
  const saved = useFlint((s) => s.profile.autoAway);
  // Typed values start from what main keeps (the dialog opens afresh each time).
  const [away, setAway] = useState(String(saved.awayMinutes));
  const [xa, setXa] = useState(String(saved.xaMinutes));
  const [problem, setProblem] = useState<{ field: 'away' | 'xa'; text: string } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const send = (next: AutoAwaySettings) => {
    setError(null);
    session.api.invoke('presence.setAutoAway', next).then(
      () => dispatch(action('local.autoAwayChanged', { settings: next })),
      (err: unknown) => setError(t('errors.command', { detail: errorText(err) })),
    );
  };

  const apply = (a = away, x = xa) => {
    const c = checkAutoAway(a, x);
    if (!c.ok) {
      setProblem({ field: c.field, text: t(c.key) });
      return;
    }
    setProblem(null);
    if (c.awayMinutes !== saved.awayMinutes || c.xaMinutes !== saved.xaMinutes) send({ enabled: saved.enabled, awayMinutes: c.awayMinutes, xaMinutes: c.xaMinutes });
  };

  return (
    <fieldset className="settings__section">
      <legend className="settings__legend">{t('autoAway.title')}</legend>
      <Checkbox label={t('autoAway.enabled')} checked={saved.enabled} onChange={(enabled) => send({ ...saved, enabled })} />
      <div className="settings__row">
        <TextField
          label={t('autoAway.awayAfter')}
          value={away}
          inputMode="numeric"
          disabled={!saved.enabled}
          error={problem?.field === 'away' ? problem.text : undefined}
          onChange={(v) => setAway(v.replace(/[^\d]/g, ''))}
          onBlur={() => apply()}
          onKeyDown={(e) => e.key === 'Enter' && (e.preventDefault(), apply())}
        />
        <TextField
          label={t('autoAway.xaAfter')}
          value={xa}
          inputMode="numeric"
          disabled={!saved.enabled}
          error={problem?.field === 'xa' ? problem.text : undefined}
          onChange={(v) => setXa(v.replace(/[^\d]/g, ''))}
          onBlur={() => apply()}
          onKeyDown={(e) => e.key === 'Enter' && (e.preventDefault(), apply())}
        />
      </div>
      <p className="dialog__hint">{t('autoAway.hint')}</p>
      <DialogError error={error} />
    </fieldset>
  );
}

export function SavedStatusesSection() {
  const { t } = useTranslation();
  const saved = useFlint((s) => s.settings.savedStatuses);
  return (
    <fieldset className="settings__section">
      <legend className="settings__legend">{t('savedStatus.title')}</legend>
      {saved.length === 0 ? (
        <p className="dialog__hint">{t('savedStatus.none')}</p>
      ) : (
        <ul className="saved-statuses" aria-label={t('savedStatus.title')}>
          {saved.map((s) => (
            <li key={`${s.show}\n${s.status}`} className="saved-statuses__item">
              <span>
                {t(`presence.${s.show}`)}: {s.status}
              </span>
              <Button size="small" variant="ghost" aria-label={t('savedStatus.forgetLabel', { status: s.status })} onClick={() => dispatch(action('local.statusForgotten', s))}>
                {t('savedStatus.forget')}
              </Button>
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}
