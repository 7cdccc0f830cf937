// Dates and times in the user's language (Intl), cached per locale: formatters are costly to build
// and a long conversation formats hundreds of times per render.
const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: string, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(opts)}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, opts);
    cache.set(key, f);
  }
  return f;
}

export const formatTime = (ts: number, locale: string): string => formatter(locale, { timeStyle: 'short' }).format(ts);
export const formatDateTime = (ts: number, locale: string): string => formatter(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(ts);
export const formatDay = (ts: number, locale: string): string => formatter(locale, { dateStyle: 'full' }).format(ts);

/** Local calendar day of an instant, as a sortable number (yyyymmdd). */
export function dayKey(ts: number): number {
  const d = new Date(ts);
  return d.getFullYear() * 10000 + (d.getMonth() + 1) * 100 + d.getDate();
}

/** 'today' | 'yesterday' | null, relative to `now` in local time. */
export function relativeDay(ts: number, now: number): 'today' | 'yesterday' | null {
  const k = dayKey(ts);
  if (k === dayKey(now)) return 'today';
  const y = new Date(now);
  y.setDate(y.getDate() - 1);
  return k === dayKey(y.getTime()) ? 'yesterday' : null;
}
