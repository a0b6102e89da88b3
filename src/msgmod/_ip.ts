// IP address text as libnmsg writes it (fast_inet_ntop, Vixie's inet_ntop rules) and
// reads it (inet_pton: IPv4 dotted quad, then IPv6).

/** Dotted quad of 4 bytes at `b[o…]`. */
export function ipv4Text(b: Uint8Array, o = 0): string {
  return `${b[o]}.${b[o + 1]}.${b[o + 2]}.${b[o + 3]}`;
}

/**
 * IPv6 text of 16 bytes at `b[o…]`: lower-case hex, the longest run (first if tied) of at
 * least two zero groups as `::`, `::a.b.c.d` and `::ffff:a.b.c.d` for embedded IPv4.
 */
export function ipv6Text(b: Uint8Array, o = 0): string {
  const w: number[] = [];
  for (let i = 0; i < 16; i += 2) w.push((b[o + i]! << 8) | b[o + i + 1]!);
  let best = -1;
  let bestLen = 0;
  let cur = -1;
  for (let i = 0; i <= 8; i++) {
    if (i < 8 && w[i] === 0) {
      if (cur < 0) cur = i;
    } else if (cur >= 0) {
      if (i - cur > bestLen) {
        best = cur;
        bestLen = i - cur;
      }
      cur = -1;
    }
  }
  if (bestLen < 2) best = -1;
  let s = "";
  for (let i = 0; i < 8; i++) {
    if (best >= 0 && i >= best && i < best + bestLen) {
      if (i === best) s += ":";
      continue;
    }
    if (i !== 0) s += ":";
    if (i === 6 && best === 0 && (bestLen === 6 || (bestLen === 5 && w[5] === 0xffff))) {
      return s + ipv4Text(b, o + 12);
    }
    s += w[i]!.toString(16);
  }
  if (best >= 0 && best + bestLen === 8) s += ":";
  return s;
}

/** Text of a 4- or 16-byte address; undefined for other lengths. */
export function ipText(b: Uint8Array): string | undefined {
  if (b.length === 4) return ipv4Text(b);
  if (b.length === 16) return ipv6Text(b);
  return undefined;
}

function parseIpv4(s: string, out: Uint8Array, o: number): boolean {
  const parts = s.split(".");
  if (parts.length !== 4) return false;
  for (let i = 0; i < 4; i++) {
    const p = parts[i]!;
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return false;
    const n = Number(p);
    if (n > 255) return false;
    out[o + i] = n;
  }
  return true;
}

function parseIpv6(s: string): Uint8Array | undefined {
  const out = new Uint8Array(16);
  const dbl = s.indexOf("::");
  if (dbl >= 0 && s.indexOf("::", dbl + 1) >= 0) return undefined;
  const head = dbl >= 0 ? s.slice(0, dbl) : s;
  const tail = dbl >= 0 ? s.slice(dbl + 2) : "";
  const groups = (part: string, allowV4: boolean): number[] | undefined => {
    if (part === "") return [];
    const items = part.split(":");
    const words: number[] = [];
    for (let i = 0; i < items.length; i++) {
      const it = items[i]!;
      if (allowV4 && i === items.length - 1 && it.includes(".")) {
        const v4 = new Uint8Array(4);
        if (!parseIpv4(it, v4, 0)) return undefined;
        words.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(it)) return undefined;
        words.push(parseInt(it, 16));
      }
    }
    return words;
  };
  const hw = groups(head, dbl < 0);
  const tw = groups(tail, true);
  if (!hw || !tw) return undefined;
  if (dbl < 0 ? hw.length !== 8 : hw.length + tw.length > 7) return undefined;
  const words = dbl < 0 ? hw : [...hw, ...new Array(8 - hw.length - tw.length).fill(0), ...tw];
  words.forEach((v, i) => {
    out[2 * i] = v >> 8;
    out[2 * i + 1] = v & 0xff;
  });
  return out;
}

/** `inet_pton` of IPv4 then IPv6 text; undefined if neither parses. */
export function parseIp(s: string): Uint8Array | undefined {
  const v4 = new Uint8Array(4);
  if (parseIpv4(s, v4, 0)) return v4;
  return parseIpv6(s);
}
