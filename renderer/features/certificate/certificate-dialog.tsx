// Shown when a sign-in failed with 'cert-untrusted': what the server presented, and a choice.
// "Trust this certificate" pins exactly this SHA-256 fingerprint (account.trustCertificate) and
// signs in again; Cancel leaves it untrusted. Everything shown comes from the server, as text.
import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CertInfo } from '../../../shared/domain';
import { Button } from '../../ui/button';
import { Dialog, DialogError } from '../../ui/dialog';
import { useFlint } from '../../store/store';
import { useSession } from '../app/session-context';
import { formatDateTime } from '../chat/format';
import './certificate.css';
import { errorText } from '../../../shared/error-text';

/** Split 'AB:CD:…' (32 bytes) into four lines of eight bytes, which people can compare by eye. */
export function fingerprintLines(fp: string): string[] {
  const bytes = fp.split(':');
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += 8) lines.push(bytes.slice(i, i + 8).join(':'));
  return lines;
}

export function CertificateDialog() {
  const state = useFlint((s) => s.connection.state);
  const [dismissed, setDismissed] = useState<string | null>(null);
  const cert = state.status === 'failed' && state.error?.code === 'cert-untrusted' ? state.error.cert : undefined;
  const domain = useFlint((s) => s.connection.account?.jid.split('@').pop() ?? '');
  if (!cert || dismissed === cert.fingerprint256) return null;
  return <CertificateDialogView cert={cert} domain={domain} problem={state.error?.certProblem} onDone={() => setDismissed(cert.fingerprint256)} />;
}

const PROBLEMS = ['self-signed', 'untrusted-issuer', 'expired', 'not-yet-valid', 'hostname-mismatch', 'other'] as const;
type Problem = (typeof PROBLEMS)[number];
const isProblem = (p: string): p is Problem => (PROBLEMS as readonly string[]).includes(p);

function CertificateDialogView({ cert, domain, problem, onDone }: { cert: CertInfo; domain: string; problem: string | undefined; onDone(): void }) {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const cancelRef = useRef<HTMLButtonElement>(null);
  const descId = useId();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const trust = async () => {
    setBusy(true);
    try {
      await session.trustCertificate(cert.fingerprint256);
      onDone();
    } catch (err) {
      setError(t('errors.command', { detail: errorText(err) }));
      setBusy(false);
    }
  };

  const date = (s: string) => {
    const d = new Date(s);
    return Number.isNaN(d.getTime()) ? s : formatDateTime(d.getTime(), i18n.language);
  };

  return (
    // Cancel is the safe default: Escape and initial focus both go there.
    <Dialog title={t('cert.title')} onClose={onDone} initialFocus={cancelRef} describedBy={descId} className="cert-dialog">
      <div id={descId}>
        <p>{t('cert.intro', { domain })}</p>
        {problem ? <p className="cert-dialog__problem">{t(`cert.problems.${isProblem(problem) ? problem : 'other'}`)}</p> : null}
      </div>
      <dl className="cert-dialog__details">
        <dt>{t('cert.subject')}</dt>
        <dd>{cert.subject}</dd>
        <dt>{t('cert.issuer')}</dt>
        <dd>{cert.issuer}</dd>
        <dt>{t('cert.validity')}</dt>
        <dd>{t('cert.validRange', { from: date(cert.validFrom), to: date(cert.validTo) })}</dd>
        {cert.altNames.length > 0 ? (
          <>
            <dt>{t('cert.altNames')}</dt>
            <dd>{cert.altNames.join(', ')}</dd>
          </>
        ) : null}
        <dt>{t('cert.fingerprint')}</dt>
        <dd className="cert-dialog__fingerprint">
          {fingerprintLines(cert.fingerprint256).map((line, i) => (
            <span key={i}>{line}</span>
          ))}
        </dd>
      </dl>
      <p className="cert-dialog__advice">{t('cert.advice')}</p>
      <DialogError error={error} />
      <div className="dialog__actions">
        <Button variant="danger" onClick={() => void trust()} disabled={busy}>
          {t('cert.trust')}
        </Button>
        <Button ref={cancelRef} onClick={onDone}>
          {t('cert.cancel')}
        </Button>
      </div>
    </Dialog>
  );
}
