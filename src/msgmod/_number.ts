// Numbers and times printed exactly as glibc's printf/strftime print them.

const bits = new DataView(new ArrayBuffer(8));

function nonFinite(x: number): string {
  if (Number.isNaN(x)) {
    bits.setFloat64(0, x);
    return bits.getUint8(0) & 0x80 ? "-nan" : "nan";
  }
  return x > 0 ? "inf" : "-inf";
}

/**
 * C `printf("%.<digits>f", x)`. JS `toFixed` is exact too but rounds exact ties away from
 * zero where glibc rounds them to even; a tie at `digits` decimals happens only when
 * `x · 2^(digits+1)` is an odd integer.
 */
export function formatFixed(x: number, digits: number): string {
  if (!Number.isFinite(x)) return nonFinite(x);
  const neg = x < 0 || Object.is(x, -0);
  const a = Math.abs(x);
  let s: string;
  if (a >= 1e21) {
    s = BigInt(a).toString() + (digits > 0 ? "." + "0".repeat(digits) : "");
  } else {
    s = a.toFixed(digits);
    const scaled = a * 2 ** (digits + 1);
    if (Number.isInteger(scaled) && scaled % 2 === 1) {
      // Exact tie: the candidates are s (rounded up) and s minus one unit in the last place.
      const down = a.toFixed(digits + 1).slice(0, digits === 0 ? -2 : -1);
      const last = down.charCodeAt(down.length - 1) - 48;
      if (last % 2 === 0) s = down;
    }
  }
  return neg ? "-" + s : s;
}

/** libnmsg's JSON double: `%.18f` with trailing zeros trimmed, one decimal kept. */
export function jsonDouble(x: number): string {
  const s = formatFixed(x, 18);
  let end = s.length;
  while (end > 1 && s.charCodeAt(end - 1) === 48 && s.charCodeAt(end - 2) !== 46) end--;
  return end === s.length ? s : s.slice(0, end);
}

const TWO_64 = 18446744073709551616n;

/** A signed integer as libnmsg's JSON writer prints it: through `uint64_t`. */
export function jsonSigned(v: number | bigint): string {
  if (typeof v === "number") return v >= 0 ? String(v) : (TWO_64 + BigInt(v)).toString();
  return v >= 0n ? v.toString() : (TWO_64 + v).toString();
}

function pad2(n: number): string {
  return n < 10 ? "0" + n : String(n);
}

/**
 * Broken-down UTC time of `sec` seconds since the epoch (proleptic Gregorian): year,
 * month (1–12), day, hour, minute, second, in a shared array the next call overwrites.
 */
export function utcParts(sec: number): Float64Array {
  const days = Math.floor(sec / 86400);
  const rem = sec - days * 86400;
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const m = mp < 10 ? mp + 3 : mp - 9;
  const parts = UTC_PARTS;
  parts[0] = yoe + era * 400 + (m <= 2 ? 1 : 0);
  parts[1] = m;
  parts[2] = doy - Math.floor((153 * mp + 2) / 5) + 1;
  parts[3] = Math.floor(rem / 3600);
  parts[4] = Math.floor(rem / 60) % 60;
  parts[5] = rem % 60;
  return parts;
}

const UTC_PARTS = new Float64Array(6);

/** libnmsg's `num_to_str`: the low `size` decimal digits of `num`, zero padded. */
export function fixedDigits(num: number, size: number): string {
  let s = "";
  for (let i = 0; i < size; i++) {
    s = String.fromCharCode(48 + (num % 10)) + s;
    num = Math.trunc(num / 10);
  }
  return s;
}

/** The JSON `time` value: fixed-width digit fields as libnmsg writes them. */
export function jsonTimeText(sec: number, nsec: number): string {
  const t = utcParts(sec);
  return `${fixedDigits(t[0]!, 4)}-${pad2(t[1]!)}-${pad2(t[2]!)} ${pad2(t[3]!)}:${pad2(t[4]!)}:${
    pad2(t[5]!)
  }.${fixedDigits(nsec, 9)}`;
}
