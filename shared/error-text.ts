// The text of a thrown value, for a log field or a "could not …: <detail>" message: an Error's
// message, anything else as a string (a rejected IPC call, a string thrown by a library).
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
