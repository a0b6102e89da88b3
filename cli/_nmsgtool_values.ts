// Conversions of nmsgtool option values, with the C tool's rules.

/**
 * C `strtoul(s, &end, 0)` on a whole string: optional blanks and sign, then hex (`0x`),
 * octal (leading `0`) or decimal digits, and nothing after. A minus sign negates modulo
 * 2^64, as in C.
 *
 * @returns The value, or undefined if characters remain after the number.
 */
export function strtoulWhole(s: string): bigint | undefined {
  const m = /^[ \t\n\v\f\r]*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)?/.exec(s)!;
  if (m[0].length !== s.length) return undefined;
  const digits = m[2] ?? "0";
  let v = BigInt(/^0[0-7]/.test(digits) ? "0o" + digits.slice(1) : digits);
  const max = (1n << 64n) - 1n;
  if (v > max) v = max;
  return m[1] === "-" ? BigInt.asUintN(64, -v) : v;
}

/**
 * nmsgtool's `read_uint32_nz`: a whole `strtoul` number in 1..2^32-1.
 *
 * @returns The value, or 0 if the text is not such a number.
 */
export function readUint32NonZero(s: string): number {
  const v = strtoulWhole(s);
  return v === undefined || v > 0xffffffffn ? 0 : Number(v);
}

/**
 * nmsgtool's `-e` unescaping: `\n`, `\t` and `\\`. Other escapes and a trailing backslash
 * are kept as written (the C tool writes an uninitialised byte there).
 */
export function unescapeEndline(s: string): string {
  return s.replace(
    /\\([nt\\]?)/g,
    (all, c: string) => c === "n" ? "\n" : c === "t" ? "\t" : c === "\\" ? "\\" : all,
  );
}
