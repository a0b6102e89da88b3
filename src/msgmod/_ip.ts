// IP address text as libnmsg reads it (inet_pton: IPv4 dotted quad, then IPv6).

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
