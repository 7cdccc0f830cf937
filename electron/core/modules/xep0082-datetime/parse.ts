// XEP-0082: XMPP Date and Time Profiles — https://xmpp.org/extensions/xep-0082.html
// Not a module: the DateTime parser that XEP-0203 delay stamps and XEP-0319 idle times share.

// §3.2 DateTime: CCYY-MM-DDThh:mm:ss[.sss]TZD, TZD = Z | (+|-)hh:mm. Fractions of any length.
const DATETIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/;

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Epoch ms for an XEP-0082 DateTime, or undefined when it is not one (wrong shape, month 13,
 * 31 February, hour 24, offset beyond ±14:00…). Years 0000–9999 parse; ranges are the caller's call.
 */
export function parseDateTime(s: string): number | undefined {
  const m = DATETIME.exec(s.trim());
  if (!m) return undefined;
  const [, ys, mos, ds, hs, mis, ss, frac, tz] = m as unknown as [string, string, string, string, string, string, string, string | undefined, string];
  const year = Number(ys);
  const month = Number(mos);
  const day = Number(ds);
  const hour = Number(hs);
  const minute = Number(mis);
  const second = Number(ss);
  if (month < 1 || month > 12) return undefined;
  const monthDays = month === 2 && isLeap(year) ? 29 : DAYS[month - 1]!;
  if (day < 1 || day > monthDays) return undefined;
  // A leap second (:60) is valid in UTC; it lands on the next minute's :00.
  if (hour > 23 || minute > 59 || second > 60) return undefined;
  let offsetMin = 0;
  if (tz !== 'Z') {
    const oh = Number(tz.slice(1, 3));
    const om = Number(tz.slice(4, 6));
    if (oh > 14 || om > 59) return undefined;
    offsetMin = (tz[0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const ms = frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0;
  const d = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999.
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, ms);
  return d.getTime() - offsetMin * 60_000;
}
