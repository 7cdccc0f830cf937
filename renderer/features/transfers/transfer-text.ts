// The words a transfer card says, from its record (pure given `t`: tested with the real strings).
import type { TFunction } from 'i18next';
import { MAX_STAGE_FILE_BYTES } from '../../../shared/ipc/transfer-contract';
import type { TransferInfo } from '../../../shared/transfer';
import { fileKind, formatBytes, formatRate, methodKey, percentOf, splitDuration } from './format';
import { StageChangedError, StageTooLargeError } from './stage-upload';
import { errorText } from '../../../shared/error-text';

type T = TFunction;

/** The card's headline: who and what is happening ("Receiving from Bob"). */
export function stateLine(t: T, x: Pick<TransferInfo, 'state' | 'direction'>, peer: string): string {
  const dir = x.direction === 'out' ? 'Out' : 'In';
  switch (x.state) {
    case 'offered':
      return t('transfers.state.offered', { peer });
    case 'waiting':
      return t('transfers.state.waiting', { peer });
    default:
      return t(`transfers.state.${x.state}${dir}`, { peer });
  }
}

/** Why it ended badly, in words a user can act on; null when it did not. */
export function errorLine(t: T, x: Pick<TransferInfo, 'state' | 'error' | 'direction'>, peer: string): string | null {
  // Our own decline or cancel needs no explanation beyond the headline.
  if (x.error && x.direction === 'in' && x.error.code === 'declined') return null;
  if (x.error) return t(`transfers.errors.${x.error.code}`, { peer });
  // A decline or cancel can come without an error record.
  if (x.state === 'declined' && x.direction === 'out') return t('transfers.errors.declined', { peer });
  return null;
}

/** Main's own words about a failure, when they add something to errorLine. */
export function errorDetail(t: T, x: Pick<TransferInfo, 'error'>): string | null {
  const m = x.error?.message.trim();
  return m ? t('transfers.detail', { detail: m }) : null;
}

/** "via Jingle (SOCKS5 direct)", "via HTTP upload"; null until a method was chosen. */
export function methodLine(t: T, x: Pick<TransferInfo, 'method' | 'transport'>): string | null {
  const k = methodKey(x);
  if (!k) return null;
  const method = t(`transfers.methods.${k.method}`);
  return k.transport ? t('transfers.viaTransport', { method, transport: t(`transfers.transports.${k.transport}`) }) : t('transfers.via', { method });
}

/** One line per method that failed before the one used (automatic fallback). */
export function attemptLines(t: T, x: Pick<TransferInfo, 'attempts'>): string[] {
  return x.attempts.map((a) => t('transfers.attempt', { method: t(`transfers.methods.${a.method}`), error: a.error }));
}

export function etaText(t: T, seconds: number): string {
  const d = splitDuration(seconds);
  switch (d.unit) {
    case 's':
      return t('transfers.eta.s', { seconds: d.seconds });
    case 'ms':
      return t('transfers.eta.ms', { minutes: d.minutes, seconds: d.seconds });
    case 'm':
      return t('transfers.eta.m', { minutes: d.minutes });
    case 'hm':
      return t('transfers.eta.hm', { hours: d.hours, minutes: d.minutes });
  }
}

/** "3.2 MB of 10 MB"; just the bytes when the size is unknown. */
export function amountText(t: T, bytes: number, size: number | undefined, lng: string): string {
  return size === undefined ? formatBytes(bytes, lng) : t('transfers.of', { done: formatBytes(bytes, lng), total: formatBytes(size, lng) });
}

/** The progressbar's aria-valuetext: "3.2 MB of 10 MB (32%)". */
export function valueText(t: T, bytes: number, size: number | undefined, lng: string): string {
  const percent = percentOf(bytes, size);
  if (size === undefined || percent === undefined) return formatBytes(bytes, lng);
  return t('transfers.percentText', { done: formatBytes(bytes, lng), total: formatBytes(size, lng), percent });
}

/** "3.2 MB of 10 MB · 2.1 MB/s · 4 s left" while moving; the amount alone otherwise. */
export function progressLine(t: T, x: Pick<TransferInfo, 'state' | 'bytes' | 'size' | 'rate' | 'eta'>, lng: string): string {
  const parts = [amountText(t, x.bytes, x.size, lng)];
  if (x.state === 'transferring') {
    if (x.rate > 0) parts.push(formatRate(x.rate, lng));
    if (x.eta !== undefined && Number.isFinite(x.eta) && x.rate > 0) parts.push(etaText(t, x.eta));
  }
  return parts.join(' · ');
}

/** "PDF document (application/pdf)", "Image (image/png)", "Archive". */
export function kindText(t: T, name: string, mediaType: string | undefined): string {
  const kind = t(`transfers.kinds.${fileKind(name, mediaType)}`);
  return mediaType && mediaType !== 'application/octet-stream' ? t('transfers.kindWithType', { kind, mediaType }) : kind;
}

/** Words for a staging that failed (the card shows them until dismissed). */
export function stageFailureText(t: T, err: unknown, lng: string): string {
  if (err instanceof StageTooLargeError) return t('transfers.prepareTooLarge', { limit: formatBytes(MAX_STAGE_FILE_BYTES, lng) });
  if (err instanceof StageChangedError) return t('transfers.prepareChanged');
  return t('transfers.detail', { detail: errorText(err) });
}
