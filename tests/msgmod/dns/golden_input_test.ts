// Parses the DNS-shaped values of the golden JSON inputs with the DNS text layer and compares
// the results with the field bytes the C tool wrote for them (json → nmsg cases).

import assert from "node:assert/strict";
import {
  type DnsFlavor,
  DnsTextError,
  nameFromText,
  rcodeFromText,
  rdataFromText,
  rrclassFromText,
  rrtypeFromText,
  sieTimeFromText,
} from "../../../src/msgmod/dns/mod.ts";
import {
  bytesField,
  bytesList,
  type Fields,
  goldenPayloads,
  goldenText,
  numField,
  pbFields,
} from "./_fixtures.ts";

type Json = Record<string, unknown>;

/** One expected field value: protobuf field number and the value our parser produced. */
type Check = [number, number | Uint8Array | Uint8Array[]];

function str(m: Json, k: string): string | undefined {
  const v = m[k];
  return typeof v === "string" ? v : undefined;
}

/** Our parse of a message's DNS fields, in field-table order (throws like C fails). */
function parse(mname: string, m: Json): [string, Check[]] | undefined {
  const out: Check[] = [];
  const name = (k: string, n: number) => {
    const v = str(m, k);
    if (v !== undefined) out.push([n, nameFromText(v)]);
  };
  const type = (k: string, n: number, f: DnsFlavor) => {
    const v = str(m, k);
    if (v !== undefined) out.push([n, rrtypeFromText(v, f)]);
    return v === undefined ? undefined : rrtypeFromText(v, f);
  };
  const cls = (k: string, n: number, f: DnsFlavor) => {
    const v = str(m, k);
    if (v !== undefined) out.push([n, rrclassFromText(v, f)]);
    return v === undefined ? undefined : rrclassFromText(v, f);
  };
  const time = (k: string, n: number) => {
    const v = str(m, k);
    if (v !== undefined) out.push([n, sieTimeFromText(v)]);
  };
  const rdata = (n: number, t: number | undefined, c: number | undefined) => {
    const list = m["rdata"];
    if (!Array.isArray(list) || t === undefined || c === undefined) return;
    out.push([n, list.map((r) => rdataFromText(String(r), t, c))]);
  };
  switch (mname) {
    case "dns": {
      name("qname", 7);
      cls("qclass", 9, "base");
      type("qtype", 8, "base");
      name("rrname", 1);
      const c = cls("rrclass", 3, "base");
      const t = type("rrtype", 2, "base");
      rdata(5, t, c);
      return ["1:7", out];
    }
    case "dnsqr": {
      name("qname", 8);
      cls("qclass", 10, "base");
      type("qtype", 9, "base");
      const r = str(m, "rcode");
      if (r !== undefined) out.push([11, rcodeFromText(r)]);
      return ["1:9", out];
    }
    case "dnsobs": {
      name("qname", 3);
      type("qtype", 4, "base");
      cls("qclass", 5, "base");
      const r = str(m, "rcode");
      if (r !== undefined) out.push([6, rcodeFromText(r)]);
      name("query_zone", 8);
      return ["1:14", out];
    }
    case "dnsdedupe": {
      time("time_first", 11);
      time("time_last", 12);
      time("zone_time_first", 17);
      time("zone_time_last", 18);
      name("bailiwick", 16);
      name("rrname", 1);
      const c = cls("rrclass", 3, "sie");
      const t = type("rrtype", 2, "sie");
      rdata(5, t, c);
      return ["2:1", out];
    }
    case "newdomain": {
      name("domain", 1);
      time("time_seen", 2);
      time("time_first", 11);
      time("time_last", 12);
      time("zone_time_first", 17);
      time("zone_time_last", 18);
      name("bailiwick", 16);
      name("rrname", 3);
      const c = cls("rrclass", 5, "sie");
      const t = type("rrtype", 4, "sie");
      rdata(7, t, c);
      return ["2:5", out];
    }
    case "dnsnx": {
      name("qname", 1);
      cls("qclass", 3, "sie");
      type("qtype", 2, "sie");
      name("soa_rrname", 5);
      return ["2:6", out];
    }
  }
  return undefined;
}

function compare(f: Fields, checks: Check[], where: string): number {
  for (const [n, want] of checks) {
    if (Array.isArray(want)) assert.deepEqual(bytesList(f, n), want, `${where} field ${n}`);
    else if (want instanceof Uint8Array) {
      assert.deepEqual(bytesField(f, n), want, `${where} field ${n}`);
    } else assert.equal(numField(f, n), want, `${where} field ${n}`);
  }
  return checks.length;
}

const CASES: [string, string][] = [];
for (const line of goldenText("MANIFEST.tsv").split("\n")) {
  const m =
    /^json-repack_\S+\t\t\["nmsgtool", "-j", "(inputs\/[^"]+\.json)", "-w", "@OUT"\]\t\t\S+\t(expected\/\S+\.out)\t0\t/
      .exec(line);
  if (m !== null) CASES.push([m[1]!, m[2]!]);
}

/** The payload time a JSON `"time"` string denotes (full 9-digit fractions only). */
function jsonTime(t: unknown): string | undefined {
  if (typeof t !== "string") return undefined;
  const m = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{9})$/.exec(t);
  if (m === null) return undefined;
  const sec = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) / 1000;
  return `${sec}.${+m[7]!}`;
}

/** The modules with DNS fields, by name. */
const MODULES: Record<string, string> = {
  dns: "1:7",
  dnsqr: "1:9",
  dnsobs: "1:14",
  dnsdedupe: "2:1",
  newdomain: "2:5",
  dnsnx: "2:6",
};

/** Whether a JSON input has a line of a module with DNS fields. */
function hasDnsLines(input: string): boolean {
  return goldenText(input).split("\n").some((line) => {
    try {
      return String((JSON.parse(line) as Json)["mname"]).toLowerCase() in MODULES;
    } catch {
      return false;
    }
  });
}

for (const [input, out] of CASES.filter(([input]) => hasDnsLines(input))) {
  Deno.test(`DNS values of ${input} parse to the bytes the C tool wrote`, () => {
    const payloads = goldenPayloads(out);
    const used = new Set<number>();
    // The first payload not matched yet with this time and module (lines keep their order).
    const find = (time: string, module: string) => {
      const k = payloads.findIndex((p, i) =>
        !used.has(i) && `${p.timeSec}.${p.timeNsec}` === time && `${p.vid}:${p.msgtype}` === module
      );
      if (k >= 0) used.add(k);
      return payloads[k];
    };
    let checked = 0;
    for (const line of goldenText(input).split("\n")) {
      let j: Json;
      try {
        j = JSON.parse(line) as Json;
      } catch {
        continue; // C skips lines that are not JSON
      }
      const mname = String(j["mname"]).toLowerCase();
      const module = MODULES[mname];
      const time = jsonTime(j["time"]);
      if (module === undefined || time === undefined) continue;
      let parsed: [string, Check[]] | undefined;
      try {
        parsed = parse(mname, j["message"] as Json);
      } catch (e) {
        if (!(e instanceof DnsTextError)) throw e;
        const p = payloads.find((p, i) =>
          !used.has(i) && `${p.timeSec}.${p.timeNsec}` === time &&
          `${p.vid}:${p.msgtype}` === module
        );
        assert.equal(p, undefined, `${input}: C accepted what we reject: ${line}`);
        continue;
      }
      const p = find(time, module);
      if (p === undefined) continue; // C rejected the line for a reason outside the DNS fields
      checked += compare(pbFields(p.payload ?? new Uint8Array(0)), parsed![1], `${input}: ${line}`);
    }
    assert.ok(checked > 0);
  });
}

Deno.test("DNS values of nmsg-dns-tests_test3-dns.json fail to parse where the C tool failed", () => {
  const lines = goldenText("inputs/nmsg-dns-tests_test3-dns.json").split("\n").filter((l) =>
    l !== ""
  );
  const failed = lines.map((l) => {
    try {
      parse("dns", (JSON.parse(l) as Json)["message"] as Json);
      return false;
    } catch (e) {
      assert.ok(e instanceof DnsTextError);
      return true;
    }
  });
  // The fifth line fails on its rrttl, which is not a DNS text field.
  assert.deepEqual(failed, [true, true, true, true, false]);
});
