import assert from "node:assert/strict";
import {
  dnsqrSettingsFromEnv,
  parseInterfaceSpec,
  PcapInput,
  PcapInputError,
} from "../../src/io/pcap_input.ts";
import { defaultRegistry } from "../../src/msgmod/builtin.ts";
import { NmsgMessage } from "../../src/msgmod/message.ts";
import { PcapError } from "../../src/pcap/errors.ts";
import type { Payload } from "../../src/wire/payload.ts";
import { GOLDEN_DIR, goldenBytes } from "../_golden.ts";
import { findLibrary } from "../_native.ts";

const ignore = findLibrary("libpcap") === undefined;
const registry = defaultRegistry();
const module = (name: string) => registry.lookupByName("base", name)!;

async function readAll(input: PcapInput): Promise<Payload[]> {
  const out: Payload[] = [];
  for (let b = await input.read(); b !== null; b = await input.read()) out.push(...b.payloads);
  return out;
}

/** Times of the golden JSON output of a case, as [sec, nsec]. */
function goldenTimes(id: string): [number, number][] {
  const text = new TextDecoder().decode(goldenBytes(`expected/${id}.stdout`));
  return text.split("\n").filter((l) => l !== "").map((l) => {
    const t = JSON.parse(l).time as string;
    return [Date.parse(t.slice(0, 19).replace(" ", "T") + "Z") / 1000, Number(t.slice(20))];
  });
}

Deno.test("parseInterfaceSpec() reads IFACE[+][,SNAPLEN] as nmsgtool does", () => {
  assert.deepEqual(parseInterfaceSpec("eth0"), {
    device: "eth0",
    promiscuous: false,
    snaplen: 1522,
  });
  assert.deepEqual(parseInterfaceSpec("eth+0,0"), { device: "eth", promiscuous: true, snaplen: 0 });
  assert.deepEqual(parseInterfaceSpec("lo,010"), { device: "lo", promiscuous: false, snaplen: 8 });
  for (const bad of ["abc", "-1", "12x", "0x"]) {
    assert.throws(() => parseInterfaceSpec(`lo,${bad}`), {
      name: "PcapInputError",
      message: `parse error: '${bad}' is not a valid snaplen`,
    });
  }
});

Deno.test("dnsqrSettingsFromEnv() follows libnmsg's getenv_int rules", () => {
  const env: Record<string, string> = {
    DNSQR_CAPTURE_QR: "0x1",
    DNSQR_CAPTURE_RD: "2", // only 0 or 1 count
    DNSQR_ZERO_RESOLVER_ADDRESS: "7",
    DNSQR_STATE_TABLE_MAX: "10 ", // trailing junk: unset
    DNSQR_QUERY_TIMEOUT: " 30",
    DNSQR_FILTER_QNAMES_INCLUDE: "Example.COM.::a\\.b.net",
    DNSQR_AUTH_ADDRS: "192.0.2.1",
  };
  const s = dnsqrSettingsFromEnv((n) => env[n]);
  assert.equal(s.captureQr, 1);
  assert.equal(s.captureRd, undefined);
  assert.equal(s.zeroResolverAddress, true);
  assert.equal(s.maxPending, undefined);
  assert.equal(s.queryTimeout, 30);
  assert.deepEqual(s.qnamesInclude?.map((n) => [...n]), [
    [7, ...new TextEncoder().encode("example"), 3, 99, 111, 109, 0],
    [3, 97, 46, 98, 3, 110, 101, 116, 0],
  ]);
  assert.equal(s.qnamesExclude, undefined);
  assert.equal(s.authAddrs, "192.0.2.1");
  // strtol("") reads 0 with nothing left over, so an empty value is 0.
  assert.equal(
    dnsqrSettingsFromEnv((n) => (n === "DNSQR_CAPTURE_QR" ? "" : undefined)).captureQr,
    0,
  );
});

Deno.test({
  name: "PcapInput produces what libnmsg produced from the golden pcaps",
  ignore,
  async fn() {
    for (
      const [file, mname, id] of [
        ["generic-tests_dig_response.pcap", "dnsqr", "pcap-dnsqr-json_generic-tests_dig_response"],
        ["generic-tests_dnssec.pcap", "dnsqr", "pcap-dnsqr-json_generic-tests_dnssec"],
        [
          "udp-checksum-tests_correct_root-any-v6.pcap",
          "dnsqr",
          "pcap-dnsqr-json_udp-checksum-tests_correct_root-any-v6",
        ],
      ] as const
    ) {
      const input = PcapInput.openFile(GOLDEN_DIR + "inputs/" + file, {
        module: module(mname),
        dnsqr: {},
        batchSize: 2,
      });
      const got = await readAll(input);
      assert.deepEqual(got.map((p) => [p.timeSec, p.timeNsec]), goldenTimes(id), id);
      assert.ok(got.every((p) => p.vid === 1 && p.msgtype === 9));
    }
  },
});

Deno.test({
  name: "PcapInput runs the user's filter, re-checking IPv6 for dnsqr",
  ignore,
  async fn() {
    const input = PcapInput.openFile(GOLDEN_DIR + "inputs/generic-tests_dig_response.pcap", {
      module: module("ncap"),
      bpf: "udp src port 53",
    });
    assert.equal((await readAll(input)).length, 6);
    // The capture filter passes all IPv6; dnsqr checks it against the user's filter itself.
    const v6 = PcapInput.openFile(
      GOLDEN_DIR + "inputs/udp-checksum-tests_correct_edns-v6-ok.pcap",
      { module: module("dnsqr"), dnsqr: {}, bpf: "host 192.0.2.1" },
    );
    assert.equal((await readAll(v6)).length, 0);
  },
});

Deno.test({
  name: "PcapInput refuses what the C tool refuses, with its messages",
  ignore,
  fn() {
    const raw = GOLDEN_DIR + "inputs/nmsg-dnsqr-tests_test1-dnsqr.pcap";
    const stderr = (id: string) => new TextDecoder().decode(goldenBytes(`expected/${id}.stderr`));
    const fails = (f: () => unknown, check: (e: PcapInputError) => void) =>
      assert.throws(f, (e: unknown) => {
        assert.ok(e instanceof PcapInputError);
        check(e);
        return true;
      });
    fails(() => PcapInput.openFile(raw, { module: module("pkt") }), (e) => {
      assert.equal(`${e.detail}\nnmsgtool: ${e.message}\n`, stderr("usage_pkt_datalink"));
    });
    fails(
      () => PcapInput.openFile("inputs/does-not-exist.pcap", { module: module("dnsqr") }),
      (e) => {
        assert.equal(e.detail, undefined);
        assert.equal(`nmsgtool: ${e.message}\n`, stderr("usage_missing_pcap_file"));
      },
    );
    fails(
      () =>
        PcapInput.openFile(raw, { module: module("dnsqr"), dnsqr: {}, bpf: "nonsense filter (((" }),
      (e) => {
        assert.equal(e.message, "nmsg_pcap_input_setfilter() failed");
        assert.match(
          e.detail!,
          /^nmsg_pcap_input_setfilter: unable to compile bpf 'nonsense filter \(\(\(': /,
        );
      },
    );
    fails(() => PcapInput.openFile(raw, { module: module("http") }), (e) => {
      assert.equal(e.message, "nmsg_input_open_pcap() failed");
    });
    fails(
      () => PcapInput.openFile(raw, { module: module("dnsqr"), dnsqr: { resAddrs: "nowhere" } }),
      (e) => assert.equal(e.message, "nmsg_input_open_pcap() failed"),
    );
  },
});

Deno.test({
  name: "PcapInput delivers what it made before a read error, then reports it",
  ignore,
  async fn() {
    const whole = goldenBytes("inputs/generic-tests_dig_response.pcap");
    const path = await Deno.makeTempFile({ suffix: ".pcap" });
    try {
      await Deno.writeFile(path, whole.subarray(0, whole.length - 10)); // last packet cut
      const input = PcapInput.openFile(path, { module: module("dnsqr"), dnsqr: {} });
      const first = await input.read();
      // The five pairs before the cut, then the sixth query, whose response was cut off:
      // delivered unanswered (libnmsg dropped it).
      const times = goldenTimes("pcap-dnsqr-json_generic-tests_dig_response");
      assert.deepEqual(first?.payloads.map((p) => [p.timeSec, p.timeNsec]), times);
      const last = NmsgMessage.fromPayload(first!.payloads[5]!, registry)!;
      assert.equal(last.get("type"), "UDP_UNANSWERED_QUERY");
      await assert.rejects(() => input.read(), PcapError);
      assert.equal(await input.read(), null);
    } finally {
      await Deno.remove(path);
    }
  },
});
