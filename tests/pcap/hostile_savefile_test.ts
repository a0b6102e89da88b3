// Hostile savefiles: damaged record headers (caplen, len), truncated records and damaged
// packet bytes (IP headers, fragments, UDP, DNS) read through every capture module give
// payloads or a one-line PcapError, never another exception; damaged IP fragments are
// reassembled or dropped.

import assert from "node:assert/strict";
import {
  CaptureUnsupportedError,
  createCaptureConverter,
  defaultRegistry,
  DLT_RAW,
  formatJson,
  formatPresentation,
  type ModuleRegistry,
  NextResult,
  NmsgRenderError,
  type Payload,
  PcapError,
  PcapHandle,
} from "../../mod.ts";
import { GOLDEN_DIR } from "../_golden.ts";
import {
  CLIENT4,
  CLIENT6,
  dnsMessage,
  fragment4,
  fragment6,
  SERVER4,
  SERVER6,
  udp4,
  udp6,
} from "../msgmod/capture/_packets.ts";
import { findLibrary } from "../_native.ts";
import { below, isOneLine, mutateBytes, pick, prng } from "../wire/_mutate.ts";

const ignore = findLibrary("libpcap") === undefined;

/** Byte offsets of the records of a little-endian classic savefile. */
function records(data: Uint8Array): number[] {
  const view = new DataView(data.buffer, data.byteOffset, data.length);
  const out: number[] = [];
  for (let p = 24; p + 16 <= data.length; p += 16 + view.getUint32(p + 8, true)) out.push(p);
  return out;
}

/**
 * Renders every payload as presentation and as JSON; the only failure accepted is an
 * NmsgRenderError from JSON (a value the C JSON writer cannot render either).
 */
function renderAll(out: readonly Payload[], registry: ModuleRegistry): void {
  for (const p of out) {
    formatPresentation(p, registry);
    try {
      formatJson(p, registry);
    } catch (e) {
      if (!(e instanceof NmsgRenderError)) throw e;
    }
  }
}

/** One damage: to a record's lengths, to its packet's first 64 bytes, or anywhere. */
function mutatePcap(random: () => number, data: Uint8Array): Uint8Array {
  const recs = records(data);
  if (recs.length === 0 || random() < 0.2) return mutateBytes(random, data);
  const rec = pick(random, recs);
  const out = data.slice();
  const view = new DataView(out.buffer);
  const caplen = view.getUint32(rec + 8, true);
  if (random() < 0.25) {
    const value = pick(random, [0, 1, 14, 0xffffffff, 262145, 65536, caplen + 1, caplen - 1]);
    view.setUint32(rec + pick(random, [8, 12]), value >>> 0, true);
    return out;
  }
  for (let k = 1 + below(random, 3); k > 0; k--) {
    const at = rec + 16 + below(random, Math.max(1, Math.min(caplen, 64)));
    if (at < out.length) out[at] = pick(random, [0, 0xff, 0x7f, 0x80, below(random, 256)]);
  }
  return out;
}

Deno.test({
  name: "damaged savefiles through every capture module give payloads or a PcapError",
  ignore,
  fn() {
    const registry = defaultRegistry();
    const modules = ["dnsqr", "packet", "pkt", "ncap"].map((n) =>
      registry.lookupByName("base", n)!
    );
    const files = [...Deno.readDirSync(`${GOLDEN_DIR}inputs`)].map((e) => e.name)
      .filter((n) => n.endsWith(".pcap")).sort()
      .map((n) => Deno.readFileSync(`${GOLDEN_DIR}inputs/${n}`));
    const path = Deno.makeTempFileSync({ suffix: ".pcap" });
    const random = prng(0x9ca9);
    let faults = 0;
    let payloads = 0;
    try {
      for (let i = 0; i < 400; i++) {
        let data: Uint8Array = pick(random, files);
        for (let k = 1 + below(random, 4); k > 0; k--) data = mutatePcap(random, data);
        Deno.writeFileSync(path, data);
        const module = pick(random, modules);
        let h: PcapHandle;
        try {
          h = PcapHandle.openOffline(path);
        } catch (e) {
          if (!(e instanceof PcapError) || !isOneLine(e)) throw e;
          faults++;
          continue;
        }
        try {
          const source = { datalink: h.datalink, datalinkName: h.datalinkName, live: h.live };
          let converter;
          try {
            converter = createCaptureConverter(module, source)!;
          } catch (e) {
            if (!(e instanceof CaptureUnsupportedError)) throw e;
            continue;
          }
          const out: Payload[] = [];
          const frame = new Uint8Array(262144);
          try {
            while (h.next() === NextResult.Packet) {
              h.copyPacket(frame);
              converter.packet(frame, h.caplen, h.length, h.tsSec, h.tsUsec * 1000, out);
            }
          } catch (e) {
            if (!(e instanceof PcapError) || !isOneLine(e)) throw e;
            faults++;
          }
          converter.end(out);
          renderAll(out, registry);
          payloads += out.length;
        } finally {
          h.close();
        }
      }
    } finally {
      Deno.removeSync(path);
    }
    assert.ok(faults > 20 && payloads > 500, `${faults} faults, ${payloads} payloads`);
  },
});

Deno.test("damaged, repeated and reordered IP fragments of DNS traffic give payloads", () => {
  const registry = defaultRegistry();
  const modules = ["dnsqr", "packet", "ncap"].map((n) => registry.lookupByName("base", n)!);
  const random = prng(0xf4a6);
  let payloads = 0;
  for (let i = 0; i < 400; i++) {
    const frames: Uint8Array[] = [];
    for (let k = 1 + below(random, 5); k > 0; k--) {
      const id = below(random, 65536);
      const query = dnsMessage({ id, qname: "www.example.com", rd: true });
      const answer = dnsMessage({
        id,
        qr: true,
        qname: "www.example.com",
        extra: below(random, 3000),
      });
      const v6 = random() < 0.4;
      frames.push(
        v6 ? udp6(CLIENT6, SERVER6, 5353, 53, query) : udp4(CLIENT4, SERVER4, 5353, 53, query),
      );
      const whole = v6
        ? udp6(SERVER6, CLIENT6, 53, 5353, answer)
        : udp4(SERVER4, CLIENT4, 53, 5353, answer);
      const size = pick(random, [8, 16, 64, 512, 1480]);
      const pieces = v6 ? fragment6(whole, size, below(random, 1000)) : fragment4(whole, size);
      if (random() < 0.3) pieces.reverse();
      if (random() < 0.3) pieces.push(...pieces.slice(0, below(random, pieces.length)));
      frames.push(...pieces);
    }
    const converter = createCaptureConverter(pick(random, modules), {
      datalink: DLT_RAW,
      datalinkName: "RAW",
      live: false,
    })!;
    const out: Payload[] = [];
    let sec = 1000;
    for (let frame of frames) {
      if (random() < 0.3) frame = mutateBytes(random, frame);
      else if (random() < 0.1 && frame[0]! >> 4 === 4 && frame.length > 8) {
        frame[6] = below(random, 256); // flags and fragment offset
        frame[7] = below(random, 256);
      }
      sec += below(random, 2);
      converter.packet(frame, frame.length, frame.length, sec, below(random, 1e9), out);
    }
    converter.end(out);
    renderAll(out, registry);
    payloads += out.length;
  }
  assert.ok(payloads > 700, `${payloads} payloads`);
});
