import assert from "node:assert/strict";
import { UdpChecksum, udpChecksum } from "../../../src/msgmod/capture/udp_checksum.ts";
import { goldenBytes, goldenCases } from "../../_golden.ts";
import { CLIENT4, dnsMessage, fragment4, SERVER4, udp4 } from "./_packets.ts";

const NAMES = ["ERROR", "ABSENT", "INCORRECT", "CORRECT"];

function base64(s: string): Uint8Array {
  return Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
}

Deno.test("udpChecksum() agrees with libnmsg on every golden dnsqr response", () => {
  let checked = 0;
  for (const c of goldenCases().filter((c) => c.id.startsWith("pcap-dnsqr-json_"))) {
    const text = new TextDecoder().decode(goldenBytes(c.stdout));
    for (const line of text.split("\n").filter((l) => l !== "")) {
      const m = JSON.parse(line).message;
      if (m.udp_checksum === undefined) continue;
      const packets = (m.response_packet as string[]).map(base64);
      assert.equal(NAMES[udpChecksum(packets)], m.udp_checksum, c.id);
      checked++;
    }
  }
  // Covers ABSENT, INCORRECT and CORRECT, fragmented and not, IPv4 and IPv6.
  assert.ok(checked >= 40, `only ${checked} responses`);
});

Deno.test("udpChecksum() sums fragments in any order", () => {
  const whole = udp4(SERVER4, CLIENT4, 53, 40000, dnsMessage({ id: 1, qr: true, extra: 99 }));
  const frags = fragment4(whole, 32);
  assert.equal(udpChecksum([whole]), UdpChecksum.CORRECT);
  assert.equal(udpChecksum(frags), UdpChecksum.CORRECT);
  assert.equal(udpChecksum([...frags].reverse()), UdpChecksum.CORRECT);
  const broken = frags.map((f) => f.slice());
  broken[1]![25] = broken[1]![25]! ^ 1;
  assert.equal(udpChecksum(broken), UdpChecksum.INCORRECT);
  assert.equal(udpChecksum(frags.slice(1)), UdpChecksum.ERROR); // no UDP header
});

Deno.test("udpChecksum() reports ABSENT for a zero checksum and ERROR for non-UDP", () => {
  const p = udp4(SERVER4, CLIENT4, 53, 40000, dnsMessage({ id: 1, qr: true }));
  p[26] = p[27] = 0;
  assert.equal(udpChecksum([p]), UdpChecksum.ABSENT);
  const tcp = p.slice();
  tcp[9] = 6;
  assert.equal(udpChecksum([tcp]), UdpChecksum.ERROR);
});
