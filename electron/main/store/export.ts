// A conversation as a readable transcript (as Spark's "save transcript"): plain text or a
// self-contained HTML page. Everything that came from the network is escaped; the HTML has no
// script, no external resource, and a CSP that forbids both should it be opened in a browser.
import type { HistoryMessage } from './rows';
import { wellFormed } from './text';

export type ExportFormat = 'text' | 'html';

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** Local time, as the user reads a clock: 2024-05-01 14:03:09. */
export function formatLocalTime(t: number): string {
  const d = new Date(t);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** Escapes the five characters that matter in HTML text and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function sender(account: string, m: HistoryMessage): string {
  return m.direction === 'out' ? account : bare(m.from);
}

function bare(jid: string): string {
  const slash = jid.indexOf('/');
  return slash < 0 ? jid : jid.slice(0, slash);
}

function stateNote(m: HistoryMessage): string {
  if (m.state === 'error') return ` (not delivered${m.error ? `: ${m.error}` : ''})`;
  if (m.state === 'pending') return ' (not sent yet)';
  return '';
}

export function renderTranscript(account: string, peer: string, messages: Iterable<HistoryMessage>, format: ExportFormat, now: number): string {
  const title = `Conversation with ${peer}`;
  const exported = `Exported by ${account} on ${formatLocalTime(now)}`;
  const out: string[] = [];
  if (format === 'text') {
    out.push(title, exported, '');
    for (const m of messages) {
      const subject = m.subject ? `[${m.subject}] ` : '';
      // Continuation lines indented, so a line in a body cannot pass for a new message.
      const body = wellFormed(m.body).replace(/\r\n?|\n/g, '\n    ');
      out.push(`[${formatLocalTime(m.timestamp)}] ${sender(account, m)}: ${subject}${body}${stateNote(m)}`);
    }
    return `${out.join('\n')}\n`;
  }
  out.push(
    '<!DOCTYPE html>',
    '<html>',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    `<title>${escapeHtml(title)}</title>`,
    '<style>body{font:14px/1.45 system-ui,sans-serif;margin:2em}.m{margin:.3em 0}.t{color:#666;font-variant-numeric:tabular-nums}.f{font-weight:600}.out .f{color:#0b5394}.in .f{color:#38761d}.b{white-space:pre-wrap;overflow-wrap:anywhere}.n{color:#a61c00}</style>',
    '</head>',
    '<body>',
    `<h1>${escapeHtml(title)}</h1>`,
    `<p>${escapeHtml(exported)}</p>`,
  );
  for (const m of messages) {
    const iso = new Date(m.timestamp).toISOString();
    const subject = m.subject ? `<strong>${escapeHtml(wellFormed(m.subject))}</strong> ` : '';
    const note = stateNote(m);
    out.push(
      `<div class="m ${m.direction}"><time class="t" datetime="${iso}">[${formatLocalTime(m.timestamp)}]</time> ` +
        `<span class="f">${escapeHtml(sender(account, m))}:</span> ${subject}<span class="b">${escapeHtml(wellFormed(m.body))}</span>` +
        `${note ? `<span class="n">${escapeHtml(note)}</span>` : ''}</div>`,
    );
  }
  out.push('</body>', '</html>');
  return `${out.join('\n')}\n`;
}
