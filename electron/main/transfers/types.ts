// The transfer records TransferService reports: plain data shared with the renderer (shared/transfer.ts).
export type { TransferEvent, TransferInfo, TransferMethod, TransferState, TransferTransport } from '../../../shared/transfer';
export { FINAL_STATES } from '../../../shared/transfer';
