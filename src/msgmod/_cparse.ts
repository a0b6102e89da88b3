// C library number parsing (strtoul/strtol/strtoull/strtoll/strtod/sscanf) with exact
// 64-bit results, for the text inputs that libnmsg reads with them.

function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

function digit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const l = c | 0x20;
  if (l >= 0x61 && l <= 0x7a) return l - 0x61 + 10;
  return 99;
}

/** A C integer parse: the magnitude with its sign, and where the digits ended. */
interface CInteger {
  /** Sign-applied value, unbounded. */
  readonly value: bigint;
  /** Index just past the number; 0 when no digits were found. */
  readonly end: number;
}

/**
 * `strtol`-family scanning: leading white space, an optional sign, then digits in `base`
 * (0 = by prefix: `0x` hex, `0` octal, else decimal).
 */
export function scanInteger(s: string, base: 0 | 10 | 16): CInteger {
  let i = 0;
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  let neg = false;
  const sign = s.charCodeAt(i);
  if (sign === 0x2b || sign === 0x2d) {
    neg = sign === 0x2d;
    i++;
  }
  let b: number = base;
  if (
    (b === 0 || b === 16) && s.charCodeAt(i) === 0x30 && (s.charCodeAt(i + 1) | 0x20) === 0x78 &&
    digit(s.charCodeAt(i + 2)) < 16
  ) {
    i += 2;
    b = 16;
  } else if (b === 0) {
    b = s.charCodeAt(i) === 0x30 ? 8 : 10;
  }
  const start = i;
  let v = 0n;
  const big = BigInt(b);
  while (i < s.length && digit(s.charCodeAt(i)) < b) {
    v = v * big + BigInt(digit(s.charCodeAt(i)));
    i++;
  }
  if (i === start) return { value: 0n, end: 0 };
  return { value: neg ? -v : v, end: i };
}

const U64_MAX = 0xffffffffffffffffn;

/**
 * C `strtoul`/`strtoull` (64-bit `unsigned long`): out-of-range magnitudes saturate to
 * 2^64-1 and a minus sign negates modulo 2^64. Undefined when text remains after the number
 * (or there is none), as the callers all check `*end == '\0'`.
 */
export function strtoull(s: string, base: 0 | 10 | 16): bigint | undefined {
  const r = scanInteger(s, base);
  if (r.end === 0 || r.end !== s.length) return undefined;
  const mag = r.value < 0n ? -r.value : r.value;
  if (mag > U64_MAX) return U64_MAX;
  return r.value < 0n ? BigInt.asUintN(64, r.value) : r.value;
}

/** C `strtol`/`strtoll` (64-bit `long`): saturates at the int64 limits; whole text required. */
export function strtoll(s: string, base: 0 | 10 | 16): bigint | undefined {
  const r = scanInteger(s, base);
  if (r.end === 0 || r.end !== s.length) return undefined;
  if (r.value > 0x7fffffffffffffffn) return 0x7fffffffffffffffn;
  if (r.value < -0x8000000000000000n) return -0x8000000000000000n;
  return r.value;
}

const FLOAT =
  /^[ \t\n\v\f\r]*[+-]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|inf(?:inity)?|nan)$/i;

/** C `strtod` of the whole text (decimal forms, `inf`, `nan`); undefined if any text remains. */
export function strtod(s: string): number | undefined {
  if (!FLOAT.test(s)) return undefined;
  const t = s.trim().toLowerCase();
  const neg = t.startsWith("-");
  const body = t.replace(/^[+-]/, "");
  if (body.startsWith("inf")) return neg ? -Infinity : Infinity;
  if (body === "nan") return NaN;
  return Number(t);
}
