// Why a transfer ended badly, in words a user can act on (issue 6: "clear errors").
import type { TransferErrorCode } from '../../../shared/transfer';
export type { TransferErrorCode };

export class TransferError extends Error {
  constructor(
    readonly code: TransferErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TransferError';
  }
}

export const transferError = (code: TransferErrorCode, message: string): TransferError => new TransferError(code, message);

/** Any thrown value as a TransferError (unknown errors count as connection failures, with their message). */
export function asTransferError(e: unknown, fallback: TransferErrorCode = 'connection-failed'): TransferError {
  if (e instanceof TransferError) return e;
  const err = e as NodeJS.ErrnoException;
  if (err && typeof err.code === 'string' && /^E(ACCES|PERM|NOSPC|ROFS|NOENT|ISDIR|MFILE|DQUOT)$/.test(err.code)) {
    return new TransferError('file-error', `file error: ${err.message}`);
  }
  return new TransferError(fallback, err?.message ? String(err.message) : String(e));
}
