// Renders the DNS-shaped fields of every golden .nmsg input with the DNS text layer and
// checks each rendering appears, in field order, in the C tool's recorded output for that
// message (presentation and JSON).

import assert from "node:assert/strict";
import {
  messageToJson,
  messageToPres,
  messageToText,
  nameFieldToText,
  rcodeToJson,
  rcodeToPres,
  rdataToText,
  rrclassToJson,
  rrclassToPres,
  rrtypeToPres,
  rrtypeToText,
  sieTimeToText,
  skipName,
} from "../../../src/msgmod/dns/mod.ts";
import type { DnsFlavor } from "../../../src/msgmod/dns/mod.ts";
import type { Payload } from "../../../src/wire/mod.ts";
import {
  bytesField,
  bytesList,
  type Fields,
  goldenPayloads,
  goldenText,
  jsonLines,
  numField,
  pbFields,
  presBlocks,
  udpPayload,
} from "./_fixtures.ts";

/** One expected fragment for presentation and one for JSON (either may be absent). */
interface Piece {
  pres?: string;
  json?: string;
}

const js = (s: string): string => JSON.stringify(s);

function nameP(key: string, v: Uint8Array | undefined): Piece[] {
  if (v === undefined) return [];
  const t = nameFieldToText(v);
  return [{ ...(t !== "" ? { pres: `${key}: ${t}` } : {}), json: `"${key}":${js(t)}` }];
}
function typeP(key: string, v: number | undefined): Piece[] {
  return v === undefined ? [] : [{
    pres: `${key}: ${rrtypeToPres(v & 0xffff)}`,
    json: `"${key}":${js(rrtypeToText(v & 0xffff))}`,
  }];
}
function classP(key: string, v: number | undefined, flavor: DnsFlavor): Piece[] {
  return v === undefined ? [] : [{
    pres: `${key}: ${rrclassToPres(v & 0xffff, flavor)}`,
    json: `"${key}":${js(rrclassToJson(v & 0xffff, flavor))}`,
  }];
}
function rcodeP(key: string, v: number | undefined): Piece[] {
  return v === undefined ? [] : [{
    pres: `${key}: ${rcodeToPres(v & 0xffff)}`,
    json: `"${key}":${js(rcodeToJson(v & 0xffff))}`,
  }];
}
function timeP(key: string, v: number | undefined): Piece[] {
  return v === undefined
    ? []
    : [{ pres: `${key}: ${sieTimeToText(v)}`, json: `"${key}":${js(sieTimeToText(v))}` }];
}
function rdataP(f: Fields, rdata: number, rrtype: number, rrclass: number): Piece[] {
  const list = bytesList(f, rdata);
  const t = numField(f, rrtype);
  const c = numField(f, rrclass);
  if (t === undefined || c === undefined) return [];
  const texts = list.map((r) => rdataToText(r, t, c));
  return [
    ...texts.map((s) => ({ pres: `rdata: ${s}` })),
    { json: `"rdata":[${texts.map(js).join(",")}]` },
  ];
}
/** A base message field: pres text block, JSON object under `<jsonKey>`. */
function messageP(key: string, jsonKey: string | undefined, wire: Uint8Array | undefined): Piece[] {
  if (wire === undefined) return [];
  const pres = messageToPres(key, wire).slice(0, -1);
  return [{
    pres,
    ...(jsonKey !== undefined ? { json: `"${jsonKey}":${messageToJson(wire)}` } : {}),
  }];
}
/** An SIE message field: pres as base, JSON the text as a string. */
function sieMessageP(key: string, wire: Uint8Array | undefined): Piece[] {
  if (wire === undefined) return [];
  return [{
    pres: messageToPres(key, wire).slice(0, -1),
    json: `"${key}":${js(messageToText(wire) ?? "<PARSE ERROR>")}`,
  }];
}

/** The DNS-shaped pieces of one payload, in field-table order. */
function pieces(p: Payload): Piece[] {
  const f = pbFields(p.payload ?? new Uint8Array(0));
  const n = (k: number) => numField(f, k);
  const b = (k: number) => bytesField(f, k);
  switch (`${p.vid}:${p.msgtype}`) {
    case "1:7": // dns
      return [
        ...nameP("qname", b(7)),
        ...classP("qclass", n(9), "base"),
        ...typeP("qtype", n(8)),
        ...nameP("rrname", b(1)),
        ...classP("rrclass", n(3), "base"),
        ...typeP("rrtype", n(2)),
        ...rdataP(f, 5, 2, 3),
      ];
    case "1:9": { // dnsqr
      const q = bytesList(f, 12);
      const r = bytesList(f, 15);
      const qip = b(2);
      const okQuery = q.length === 1 && (qip?.length === 4 || qip?.length === 16);
      return [
        ...nameP("qname", b(8)),
        ...classP("qclass", n(10), "base"),
        ...typeP("qtype", n(9)),
        ...rcodeP("rcode", n(11)),
        ...(okQuery ? messageP("query", "query_json", udpPayload(q[0]!)) : []),
        ...(r.length === 1 ? messageP("response", "response_json", udpPayload(r[0]!)) : []),
      ];
    }
    case "1:13": { // dnstap
      const m = pbFields(b(14) ?? new Uint8Array(0));
      const qm = bytesField(m, 10);
      const rm = bytesField(m, 14);
      const hdr = qm ?? rm;
      const out: Piece[] = [
        ...messageP("query_message", "query_json", qm),
        ...nameP("query_zone", bytesField(m, 11)),
        ...messageP("response_message", "response_json", rm),
      ];
      if (hdr !== undefined && hdr.length >= 12 && ((hdr[4]! << 8) | hdr[5]!) === 1) {
        const end = skipName(hdr, 12);
        out.push(...nameP("qname", hdr.subarray(12, end)));
        if (end + 4 <= hdr.length) {
          out.push(...classP("qclass", (hdr[end + 2]! << 8) | hdr[end + 3]!, "base"));
          out.push(...typeP("qtype", (hdr[end]! << 8) | hdr[end + 1]!));
        }
        out.push(...rcodeP("rcode", hdr[3]! & 15));
      }
      return out;
    }
    case "1:14": // dnsobs
      return [
        ...nameP("qname", b(3)),
        ...typeP("qtype", n(4)),
        ...classP("qclass", n(5), "base"),
        ...rcodeP("rcode", n(6)),
        ...messageP("response", undefined, b(7)),
        ...(b(7) !== undefined ? [{ json: `"response_json":${messageToJson(b(7)!)}` }] : []),
        ...nameP("query_zone", b(8)),
      ];
    case "2:1": // dnsdedupe
      return [
        ...timeP("time_first", n(11)),
        ...timeP("time_last", n(12)),
        ...timeP("zone_time_first", n(17)),
        ...timeP("zone_time_last", n(18)),
        ...nameP("bailiwick", b(16)),
        ...nameP("rrname", b(1)),
        ...classP("rrclass", n(3), "sie"),
        ...typeP("rrtype", n(2)),
        ...rdataP(f, 5, 2, 3),
        ...sieMessageP("response", b(15)),
      ];
    case "2:5": // newdomain
      return [
        ...nameP("domain", b(1)),
        ...timeP("time_seen", n(2)),
        ...timeP("time_first", n(11)),
        ...timeP("time_last", n(12)),
        ...timeP("zone_time_first", n(17)),
        ...timeP("zone_time_last", n(18)),
        ...nameP("bailiwick", b(16)),
        ...nameP("rrname", b(3)),
        ...classP("rrclass", n(5), "sie"),
        ...typeP("rrtype", n(4)),
        ...rdataP(f, 7, 4, 5),
        ...sieMessageP("response", b(15)),
      ];
    case "2:6": // dnsnx
      return [
        ...nameP("qname", b(1)),
        ...classP("qclass", n(3), "sie"),
        ...typeP("qtype", n(2)),
        ...nameP("soa_rrname", b(5)),
      ];
    default:
      return [];
  }
}

function timeText(p: Payload): string {
  const d = new Date(p.timeSec * 1000).toISOString();
  return `${d.slice(0, 10)} ${d.slice(11, 19)}.${String(p.timeNsec).padStart(9, "0")}`;
}

/** Checks that every fragment occurs in `text`, each after the previous one. */
function assertInOrder(text: string, frags: string[], where: string): number {
  let pos = 0;
  for (const frag of frags) {
    const at = text.indexOf(frag, pos);
    assert.ok(at >= 0, `${where}: missing ${JSON.stringify(frag)} after offset ${pos} in\n${text}`);
    pos = at + frag.length - 1;
  }
  return frags.length;
}

/** The golden `-r` cases whose payloads have DNS fields, with their payloads. */
const CASES: [string, string, string, Payload[]][] = [];
for (const line of goldenText("MANIFEST.tsv").split("\n")) {
  const m = /^nmsg-pres_(\S+)\t\t\["nmsgtool", "-r", "(inputs\/[^"]+\.nmsg)"\]\t\t(expected\/\S+)\t/
    .exec(line);
  if (m === null || m[3] === "expected/empty") continue;
  let payloads: Payload[];
  try {
    payloads = goldenPayloads(m[2]!);
  } catch {
    continue; // inputs that are deliberately malformed are for the wire tests
  }
  if (!payloads.some((p) => pieces(p).length > 0)) continue;
  CASES.push([m[2]!, m[3]!, `expected/nmsg-json_${m[1]}.stdout`, payloads]);
}

Deno.test("golden corpus has the DNS inputs this test expects", () => {
  const inputs = CASES.map((c) => c[0]);
  for (
    const want of [
      "inputs/nmsg-dns-tests_test1-dns.nmsg",
      "inputs/nmsg-dns-tests_test2-dns.nmsg",
      "inputs/nmsg-dnsqr-tests_test1-dnsqr.nmsg",
      "inputs/nmsg-dnstap-tests_test1-dnstap.nmsg",
      "inputs/nmsg-dnsobs-tests_test1-dnsobs.nmsg",
      "inputs/generic-tests_dedupe.nmsg",
      "inputs/generic-tests_newdomain.nmsg",
    ]
  ) assert.ok(inputs.includes(want), want);
});

for (const [input, presFile, jsonFile, payloads] of CASES) {
  Deno.test(`DNS fields of ${input} render as the C tools did`, () => {
    const blocks = presBlocks(goldenText(presFile));
    let jsonText: string[] = [];
    try {
      jsonText = jsonLines(goldenText(jsonFile));
    } catch {
      // no JSON case for this input
    }
    let bi = 0;
    let ji = 0;
    let checked = 0;
    for (const [k, p] of payloads.entries()) {
      const head = `[${p.payload?.length ?? 0}] [${timeText(p)}] [${p.vid}:${p.msgtype} `;
      const ps = pieces(p);
      const block = blocks[bi];
      if (block !== undefined && block.startsWith(head)) {
        bi++;
        const frags = ps.flatMap((x) => (x.pres !== undefined ? ["\n" + x.pres + "\n"] : []));
        checked += assertInOrder(block, frags, `${presFile} message ${k}`);
      }
      const line = jsonText[ji];
      if (line !== undefined && line.startsWith(`{"time":"${timeText(p)}"`)) {
        ji++;
        const frags = ps.flatMap((x) => (x.json !== undefined ? [x.json] : []));
        checked += assertInOrder(line, frags, `${jsonFile} message ${k}`);
      }
    }
    assert.ok(bi > 0, `no presentation block matched in ${presFile}`);
    assert.ok(checked > 0);
  });
}
