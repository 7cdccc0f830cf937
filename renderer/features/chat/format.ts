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

const TIME: Intl.DateTimeFormatOptions = { timeStyle: 'short' };
const DATE_TIME: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' };
const DAY: Intl.DateTimeFormatOptions = { dateStyle: 'full' };

/**
 * Builds the formatters a conversation needs, ahead of the first one that opens (the first
 * `Intl.DateTimeFormat` of a locale costs ~10 ms: the locale data is loaded then). Call when idle.
 */
export function warmFormatters(locale: string): void {
  for (const opts of [TIME, DATE_TIME, DAY]) formatter(locale, opts);
}

export const formatTime = (ts: number, locale: string): string => formatter(locale, TIME).format(ts);
export const formatDateTime = (ts: number, locale: string): string => formatter(locale, DATE_TIME).format(ts);
export const formatDay = (ts: number, locale: string): string => formatter(locale, DAY).format(ts);

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
