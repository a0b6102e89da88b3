// PcapHandle reads the records of classic pcap savefiles in TypeScript; libpcap is the
// reference: the same files piped to standard input are read by libpcap itself, and every
// record, timestamp and error text must come out the same.

import assert from "node:assert/strict";
import { NextResult, PcapHandle } from "../../src/pcap/pcap_handle.ts";
import { runDeno } from "../_cli.ts";
import { GOLDEN_DIR, goldenBytes } from "../_golden.ts";
import { findLibrary } from "../_native.ts";
import { recordLines } from "./_records.ts";

const ignore = findLibrary("libpcap") === undefined || findLibrary("libc") === undefined;
const DUMP = new URL("./_dump_records.ts", import.meta.url).pathname;

interface Rec {
  sec: number;
  usec: number;
  caplen: number;
  len: number;
  data: Uint8Array;
}

function parse(b: Uint8Array): { linktype: number; snaplen: number; recs: Rec[] } {
  const v = new DataView(b.buffer, b.byteOffset, b.length);
  const recs: Rec[] = [];
  for (let p = 24; p + 16 <= b.length;) {
    const caplen = v.getUint32(p + 8, true);
    recs.push({
      sec: v.getInt32(p, true),
      usec: v.getInt32(p + 4, true),
      caplen,
      len: v.getUint32(p + 12, true),
      data: b.slice(p + 16, p + 16 + caplen),
    });
    p += 16 + caplen;
  }
  return { linktype: v.getUint32(20, true), snaplen: v.getUint32(16, true), recs };
}

interface Layout {
  bigEndian?: boolean;
  nanoseconds?: boolean;
  snaplen?: number;
}

/** A pcap file (format 2.4) of the records, in either byte order and time unit. */
function build(linktype: number, snaplen: number, recs: Rec[], o: Layout = {}): Uint8Array {
  const le = !o.bigEndian;
  const size = 24 + recs.reduce((n, r) => n + 16 + r.data.length, 0);
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  v.setUint32(0, o.nanoseconds ? 0xa1b23c4d : 0xa1b2c3d4, le);
  v.setUint16(4, 2, le);
  v.setUint16(6, 4, le);
  v.setUint32(16, o.snaplen ?? snaplen, le);
  v.setUint32(20, linktype, le);
  let p = 24;
  for (const r of recs) {
    v.setInt32(p, r.sec, le);
    v.setInt32(p + 4, r.usec, le);
    v.setUint32(p + 8, r.caplen, le);
    v.setUint32(p + 12, r.len, le);
    out.set(r.data, p + 16);
    p += 16 + r.data.length;
  }
  return out;
}

/** Savefiles that exercise each rule of libpcap's record reader. */
function variants(name: string): Record<string, Uint8Array> {
  const { linktype, snaplen, recs } = parse(goldenBytes(`inputs/${name}`));
  const b = (r: Rec[], o?: Layout) => build(linktype, snaplen, r, o);
  const whole = b(recs);
  const third = 24 + recs.slice(0, 2).reduce((n, r) => n + 16 + r.data.length, 0);
  const huge = [...recs.slice(0, 2), {
    sec: 1,
    usec: 2,
    caplen: 300000,
    len: 300000,
    data: new Uint8Array(8),
  }];
  return {
    "as is": whole,
    "big-endian": b(recs, { bigEndian: true }),
    "nanoseconds": b(recs.map((r, i) => ({ ...r, usec: r.usec * 1000 + i * 137 })), {
      nanoseconds: true,
    }),
    "big-endian nanoseconds": b(recs.map((r) => ({ ...r, usec: r.usec * 1000 + 999 })), {
      bigEndian: true,
      nanoseconds: true,
    }),
    "negative times": b(recs.map((r, i) => ({ ...r, sec: -1 - i, usec: i % 2 ? -5 : r.usec }))),
    "negative nanoseconds": b(recs.map((r) => ({ ...r, usec: -1234567 })), { nanoseconds: true }),
    "records longer than the snap length": b(recs, { snaplen: 60 }),
    "snap length 0": b(recs, { snaplen: 0 }),
    "snap length above INT_MAX": b(recs, { snaplen: 0x80000001 }),
    "truncated record header": whole.slice(0, third + 7),
    "truncated packet": whole.slice(0, third + 16 + 5),
    "truncated before the snap length": b(recs, { snaplen: 60 }).slice(0, 24 + 16 + 50),
    "truncated after the snap length": b(recs, { snaplen: 60 }).slice(0, 24 + 16 + 80),
    "capture length above the maximum": b(huge),
    "capture length above the snap length and the maximum": b(huge, { snaplen: 400000 }),
    "no records": whole.slice(0, 24),
  };
}

/** The records as libpcap reads them: the file piped to a process that opens `-`. */
async function libpcapLines(file: string, filter?: string): Promise<string[]> {
  const grant = [findLibrary("libpcap")!, findLibrary("libc")!].join(",");
  const out = await runDeno(
    ["run", `--allow-ffi=${grant}`, "--no-prompt", DUMP, "-", ...(filter ? [filter] : [])],
    { stdin: await Deno.readFile(file) },
  );
  assert.equal(out.code, 0, out.stderr);
  return new TextDecoder().decode(out.stdout).split("\n").filter((l) => l !== "");
}

function ownLines(file: string, filter?: string): string[] {
  using h = PcapHandle.openOffline(file);
  if (filter !== undefined) h.setFilter(filter);
  return recordLines(h, NextResult.Packet);
}

Deno.test({
  name: "PcapHandle reads pcap records, times and errors exactly as libpcap does",
  ignore,
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      const files: { label: string; file: string }[] = [];
      for (const name of ["generic-tests_dig_response.pcap", "nmsg-dnsqr-tests_test1-dnsqr.pcap"]) {
        for (const [what, bytes] of Object.entries(variants(name))) {
          const file = `${dir}/${files.length}.pcap`;
          await Deno.writeFile(file, bytes);
          files.push({ label: `${name}, ${what}`, file });
        }
      }
      const expected = await Promise.all(files.map((f) => libpcapLines(f.file)));
      files.forEach((f, i) => assert.deepEqual(ownLines(f.file), expected[i], f.label));
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "PcapHandle applies an installed filter to the records it reads itself",
  ignore,
  async fn() {
    const file = GOLDEN_DIR + "inputs/generic-tests_dnssec.pcap";
    const filter = "udp src port 53 and greater 200";
    const expected = await libpcapLines(file, filter);
    const own = ownLines(file, filter);
    assert.deepEqual(own, expected);
    // The filter removed some packets, kept others.
    assert.ok(own.length > 1 && own.length < ownLines(file).length);
  },
});
