// The suggested file name of an exported conversation (issue 5), the same in the browser download
// and in the desktop app's save dialog: letters, digits, dot, dash, underscore and @ only.
export function exportFileName(peer: string, format: 'text' | 'html'): string {
  return `flint-${peer.replace(/[^\p{L}\p{N}._@-]+/gu, '_').slice(0, 100)}.${format === 'html' ? 'html' : 'txt'}`;
}
