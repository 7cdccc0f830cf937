// Main's file transfers (issue 6): TransferService and what the IPC layer needs to describe them.
export { TransferService, type TransferHost, type TransferServiceOptions, type SendOptions } from './transfer-service';
export type { TransferEvent, TransferInfo, TransferMethod, TransferState, TransferTransport } from './types';
export { FINAL_STATES } from './types';
export { TransferError, type TransferErrorCode } from './errors';
export { sanitizeFileName } from './safe-path';
export { machineAddresses } from './streamhosts';
