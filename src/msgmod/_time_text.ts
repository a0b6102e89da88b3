// The JSON `time` string: glibc strptime("%Y-%m-%d %T") + timegm, then an optional
// decimal fraction of a second.

function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * Seconds and nanoseconds of `YYYY-MM-DD HH:MM:SS[.fraction]` in UTC, read like glibc's
 * strptime (blanks before numbers, at most 4/2 digits, a number stops once another digit
 * would leave its range, seconds up to 61, days past the month's end roll over); text
 * after the seconds other than a fraction is ignored. Undefined if it does not match.
 */
export function parseTimeText(text: string): { sec: number; nsec: number } | undefined {
  let i = 0;
  const num = (digits: number, from: number, to: number): number | undefined => {
    while (i < text.length && isSpace(text.charCodeAt(i))) i++;
    let c = text.charCodeAt(i);
    if (!(c >= 0x30 && c <= 0x39)) return undefined;
    let v = 0;
    let n = digits;
    do {
      v = v * 10 + (c - 0x30);
      c = text.charCodeAt(++i);
    } while (--n > 0 && v * 10 <= to && c >= 0x30 && c <= 0x39);
    return v < from || v > to ? undefined : v;
  };
  const lit = (ch: number): boolean => text.charCodeAt(i++) === ch;
  const y = num(4, 0, 9999);
  if (y === undefined || !lit(0x2d)) return undefined;
  const mo = num(2, 1, 12);
  if (mo === undefined || !lit(0x2d)) return undefined;
  const d = num(2, 1, 31);
  if (d === undefined) return undefined;
  // A blank in the format matches any run of white space, including none.
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  const h = num(2, 0, 23);
  if (h === undefined || !lit(0x3a)) return undefined;
  const mi = num(2, 0, 59);
  if (mi === undefined || !lit(0x3a)) return undefined;
  const s = num(2, 0, 61);
  if (s === undefined) return undefined;
  const sec = daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
  // Only the first nine fraction digits count; fewer are scaled up to nanoseconds.
  let nsec = 0;
  if (text.charCodeAt(i) === 0x2e) {
    let digits = 0;
    for (let c = text.charCodeAt(++i); c >= 0x30 && c <= 0x39; c = text.charCodeAt(++i)) {
      if (digits < 9) {
        nsec = nsec * 10 + (c - 0x30);
        digits++;
      }
    }
    for (; digits < 9; digits++) nsec *= 10;
  }
  return { sec, nsec };
}
