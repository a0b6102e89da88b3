// C library number parsing (strtoul/strtol in the C locale) as the C toolkit applies it to
// user text: leading whitespace, an optional sign, base 0 (0x hex, 0 octal) or 10.

/** True for the bytes C `isspace` accepts in the C locale. */
export function isCSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

/** Result of a C-style integer parse: `end` is the index just past the digits used. */
export interface CNumber {
  /** The value with the sign applied (may exceed the safe integer range: it is clamped). */
  value: number;
  /** Index of the first unconsumed character (0 when no digits were found). */
  end: number;
  /** True when the magnitude exceeded `limit` (C sets ERANGE). */
  overflow: boolean;
}

/**
 * Parses like C `strtoul`/`strtol`: skips whitespace, accepts a sign, then digits of `base`
 * (0 means auto: `0x` hex, leading `0` octal, else decimal). When no digits are found the
 * end is 0, as C sets `endptr` to the start. Magnitudes above `limit` report `overflow`.
 */
export function parseCNumber(s: string, base: 0 | 10, limit: number): CNumber {
  let i = 0;
  const n = s.length;
  while (i < n && isCSpace(s.charCodeAt(i))) i++;
  let neg = false;
  const sign = s.charCodeAt(i);
  if (sign === 0x2b || sign === 0x2d) {
    neg = sign === 0x2d;
    i++;
  }
  let radix: number = base === 0 ? 10 : base;
  if (base === 0 && s.charCodeAt(i) === 0x30) {
    const x = s.charCodeAt(i + 1) | 0x20;
    if (x === 0x78 && hexDigit(s.charCodeAt(i + 2)) >= 0) {
      radix = 16;
      i += 2;
    } else {
      radix = 8;
    }
  }
  const start = i;
  let value = 0;
  let overflow = false;
  for (; i < n; i++) {
    const d = radix === 16 ? hexDigit(s.charCodeAt(i)) : s.charCodeAt(i) - 0x30;
    if (d < 0 || d >= radix) break;
    if (!overflow) {
      value = value * radix + d;
      if (value > limit) overflow = true;
    }
  }
  if (i === start) return { value: 0, end: 0, overflow: false };
  return { value: neg ? -value : value, end: i, overflow };
}

/** Value of a hex digit character code, or -1. */
export function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const l = c | 0x20;
  if (l >= 0x61 && l <= 0x66) return l - 0x61 + 10;
  return -1;
}
