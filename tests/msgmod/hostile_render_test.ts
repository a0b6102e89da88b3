// Hostile input at the message layer: presentation and JSON text and payload bytes that
// claim or hold anything end in a payload, a rendering, or a typed one-line error.

import assert from "node:assert/strict";
import {
  defaultRegistry,
  formatJson,
  formatPresentation,
  messageToJson,
  messageToPres,
  messageToText,
  nameToText,
  NmsgFormatError,
  NmsgMessage,
  NmsgParseError,
  NmsgRenderError,
  NmsgUnsupportedError,
  nodeZlib,
  parseJsonPayload,
  parseMessage,
  type Payload,
  PresentationParser,
  rdataToText,
  readPayloads,
  skipName,
} from "../../mod.ts";
import { goldenBytes } from "../_golden.ts";
import { below, isOneLine, mutateBytes, pick, prng } from "../wire/_mutate.ts";
import { bytesSource } from "../wire/_util.ts";

Deno.test("PresentationParser stops a multi-line value that never ends at 64 Mi characters", () => {
  const http = defaultRegistry().lookupByName("base", "http")!;
  const parser = new PresentationParser(http, { now: () => ({ sec: 0, nsec: 0 }) });
  parser.pushLine("type: sinkhole");
  parser.pushLine("request:");
  const mib = "x".repeat((1 << 20) - 1);
  let line = 2;
  assert.throws(
    () => {
      // No "." line: without a limit, the whole input would pile up in the value.
      for (; line < 200; line++) parser.pushLine(mib);
    },
    (e: unknown) =>
      e instanceof NmsgParseError &&
      e.message === `line ${line + 1}: multi-line field request is longer than 67108864 characters`,
  );
  assert.equal(line, 66);
});

const registry = defaultRegistry();
const inputs = [...Deno.readDirSync(new URL("../../../shared/golden/inputs/", import.meta.url))]
  .map((e) => e.name).sort();

/** Every payload of the golden NMSG and JSON inputs, copied. */
async function goldenPayloads(): Promise<Payload[]> {
  const out: Payload[] = [];
  for (const name of inputs) {
    if (name.endsWith(".nmsg")) {
      try {
        for await (
          const p of readPayloads(bytesSource(goldenBytes(`inputs/${name}`)), { zlib: nodeZlib })
        ) {
          out.push({ ...p, ...(p.payload ? { payload: p.payload.slice() } : {}) });
        }
      } catch {
        // inputs damaged on purpose: what came before is kept
      }
    }
  }
  return out;
}

Deno.test("damaged payload bytes of every module render, render nothing, or raise a typed error", async () => {
  const corpus = await goldenPayloads();
  const types = [...new Set(corpus.map((p) => `${p.vid}:${p.msgtype}`))];
  assert.ok(types.length >= 15, types.join(" "));
  const random = prng(0xbad);
  let rendered = 0;
  for (let i = 0; i < 6000; i++) {
    const base = pick(random, corpus);
    let bytes = base.payload ?? new Uint8Array(0);
    for (let k = 1 + below(random, 3); k > 0; k--) bytes = mutateBytes(random, bytes);
    const p: Payload = { ...base, payload: bytes };
    if (random() < 0.25) {
      // One module's bytes read as another's.
      const [vid, msgtype] = pick(random, types).split(":").map(Number);
      p.vid = vid!;
      p.msgtype = msgtype!;
    }
    if (random() < 0.05) p.timeSec = pick(random, [-1, -62135596801, 2 ** 53, 253402300800]);
    if (random() < 0.05) p.timeNsec = pick(random, [0xffffffff, 1e9]);
    const text = formatPresentation(p, registry);
    if (text !== undefined) rendered++;
    try {
      formatJson(p, registry);
    } catch (e) {
      if (!(e instanceof NmsgRenderError) || !isOneLine(e)) throw e;
    }
    const msg = NmsgMessage.fromPayload(p, registry);
    for (const f of msg?.module.fields ?? []) {
      try {
        msg!.getAll(f.name);
      } catch (e) {
        // A payload that does not decode: its getters say so.
        if (!(e instanceof NmsgFormatError) || !isOneLine(e) || msg!.isValid()) throw e;
      }
    }
  }
  assert.ok(rendered > 1000, `${rendered} rendered`);
});

const TOKENS = [
  "1e400",
  "-1e400",
  "99999999999999999999999",
  "-0",
  "NaN",
  "null",
  "true",
  "[]",
  "{}",
  '"\\ud800"',
  '"\\u0000"',
  `"${"a".repeat(70000)}"`,
  "[".repeat(5000),
  '{"a":'.repeat(3000),
  "18446744073709551616",
  "-9223372036854775809",
  "4294967296",
  "65536",
  '"1.2.3.4.5"',
  '"9999-99-99 99:99:99.999999999"',
  '"zz"',
  '"A"',
  `"${"a.".repeat(200)}"`,
  '"\\\\# 2 zz"',
  '"\\\\# 65535 00"',
  "1.5",
  "-1",
];

/** One damage to a text line: a cut, a deleted run, a token or a character put in. */
function mutateLine(random: () => number, s: string): string {
  const at = below(random, s.length + 1);
  switch (below(random, 5)) {
    case 0:
      return s.slice(0, at);
    case 1:
      return s.slice(0, at) + s.slice(at + 1 + below(random, 8));
    case 2:
      return s.slice(0, at) + String.fromCharCode(below(random, 0x10000)) + s.slice(at);
    case 3: {
      // A value after a colon replaced.
      const colons = [...s.matchAll(/:/g)].map((m) => m.index);
      if (colons.length === 0) return s;
      const c = pick(random, colons);
      const end = s.slice(c + 1).search(/[,}\]]/);
      return end < 0 ? s : s.slice(0, c + 1) + pick(random, TOKENS) + s.slice(c + 1 + end);
    }
    default:
      return s.slice(0, at) + pick(random, TOKENS) + s.slice(at);
  }
}

Deno.test("damaged JSON lines give a payload, NmsgParseError or NmsgUnsupportedError", () => {
  const lines = inputs.filter((n) => n.endsWith(".json"))
    .flatMap((n) => new TextDecoder().decode(goldenBytes(`inputs/${n}`)).split("\n"))
    .filter((l) => l.length > 0);
  const random = prng(0x15011);
  let parsed = 0;
  for (let i = 0; i < 4000; i++) {
    let line = pick(random, lines);
    for (let k = 1 + below(random, 3); k > 0; k--) line = mutateLine(random, line);
    try {
      const p = parseJsonPayload(line, registry, { now: () => ({ sec: 0, nsec: 0 }) });
      parsed++;
      formatPresentation(p, registry);
    } catch (e) {
      if (!(e instanceof NmsgParseError || e instanceof NmsgUnsupportedError) || !isOneLine(e)) {
        throw e;
      }
    }
  }
  assert.ok(parsed > 500, `${parsed} parsed`);
});

Deno.test("damaged presentation lines give payloads or an NmsgParseError naming the line", () => {
  const modules: Record<string, string> = {
    dns: "dns",
    dnsobs: "dnsobs",
    dnsqr: "dnsqr",
    dnstap: "dnstap",
    http: "http",
    logline: "logline",
  };
  const files = inputs.filter((n) => n.endsWith(".pres")).flatMap((n) => {
    const key = Object.keys(modules).find((k) => n.includes(`-${k}`) || n.includes(`_${k}`));
    if (key === undefined) return [];
    const text = new TextDecoder().decode(goldenBytes(`inputs/${n}`));
    return [{ module: registry.lookupByName("base", modules[key]!)!, lines: text.split("\n") }];
  });
  assert.ok(files.length >= 5);
  const random = prng(0x9e5);
  let payloads = 0;
  for (let i = 0; i < 800; i++) {
    const { module, lines } = pick(random, files);
    const damaged = lines.slice();
    for (let k = 1 + below(random, 4); k > 0; k--) {
      const at = below(random, damaged.length);
      damaged[at] = mutateLine(random, damaged[at]!);
    }
    const parser = new PresentationParser(module, { now: () => ({ sec: 0, nsec: 0 }) });
    try {
      for (const line of damaged) if (parser.pushLine(line) !== undefined) payloads++;
      if (parser.finish() !== undefined) payloads++;
    } catch (e) {
      if (!(e instanceof NmsgParseError) || !isOneLine(e) || e.line === undefined) throw e;
    }
  }
  assert.ok(payloads > 100, `${payloads} payloads`);
});

/** The UDP and TCP payloads (DNS messages) of the golden savefiles, read by hand. */
function dnsMessages(): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const name of inputs.filter((n) => n.endsWith(".pcap"))) {
    const d = goldenBytes(`inputs/${name}`);
    const view = new DataView(d.buffer, d.byteOffset, d.length);
    const ip = { 0: 4, 1: 14, 101: 0, 113: 16 }[view.getUint32(20, true)];
    if (ip === undefined) continue;
    for (let p = 24; p + 16 <= d.length;) {
      const pkt = d.subarray(p + 16, p + 16 + view.getUint32(p + 8, true));
      p += 16 + pkt.length;
      if (pkt.length < ip + 40) continue;
      const v6 = pkt[ip]! >> 4 === 6;
      const l4 = v6 ? ip + 40 : ip + (pkt[ip]! & 15) * 4;
      const proto = pkt[v6 ? ip + 6 : ip + 9];
      if (proto === 17) out.push(pkt.slice(l4 + 8));
      if (proto === 6) out.push(pkt.slice(l4 + (pkt[l4 + 12]! >> 4) * 4 + 2));
    }
  }
  return out.filter((m) => m.length >= 14);
}

Deno.test("damaged DNS messages, names and rdata turn into text without an exception", () => {
  const messages = dnsMessages();
  assert.ok(messages.length > 50, `${messages.length} messages`);
  const random = prng(0xd25);
  const rrtypes = [
    1,
    2,
    5,
    6,
    12,
    13,
    15,
    16,
    28,
    33,
    35,
    41,
    43,
    46,
    47,
    48,
    50,
    51,
    52,
    257,
    65535,
  ];
  for (let i = 0; i < 4000; i++) {
    let m: Uint8Array = pick(random, messages).slice();
    const view = new DataView(m.buffer);
    switch (below(random, 4)) {
      case 0: // section counts
        view.setUint16(4 + 2 * below(random, 4), pick(random, [0, 1, 0x7fff, 0xffff]));
        break;
      case 1: { // a compression pointer: backwards, to itself, forwards, out of range
        const at = 12 + below(random, m.length - 13);
        view.setUint16(at, 0xc000 | pick(random, [12, at, at + 2, 0x3fff]));
        break;
      }
      case 2: // a label length
        m[12 + below(random, m.length - 12)] = pick(random, [0, 63, 64, 0x80, 0xff]);
        break;
      default:
        m = mutateBytes(random, m);
    }
    const text = messageToText(m);
    assert.ok(text === undefined || typeof text === "string");
    assert.equal(typeof messageToJson(m), "string");
    assert.equal(typeof messageToPres("response", m), "string");
    parseMessage(m);
    assert.equal(typeof nameToText(m.subarray(12)), "string");
    assert.ok(skipName(m, 12) <= m.length);
    assert.equal(typeof rdataToText(m.subarray(12), pick(random, rrtypes), 1), "string");
  }
});
