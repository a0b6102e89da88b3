import assert from "node:assert/strict";
import {
  DLT_EN10MB,
  DLT_LINUX_SLL,
  DLT_NULL,
  DLT_RAW,
  IpDatagram,
} from "../../../src/msgmod/capture/ip_datagram.ts";
import {
  CLIENT4,
  CLIENT6,
  dnsMessage,
  ethernet,
  fragment4,
  fragment6,
  ipv4,
  SERVER4,
  SERVER6,
  udp4,
  udp6,
} from "./_packets.ts";

const DNS = dnsMessage({ id: 7, qname: "example.com" });

Deno.test("IpDatagram.parseFrame() finds UDP in Ethernet, VLAN, Linux cooked and raw frames", () => {
  const ip = udp4(CLIENT4, SERVER4, 40000, 53, DNS);
  const sll = new Uint8Array([0, 0, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0, 0x08, 0x00, ...ip]);
  for (
    const [datalink, frame, start] of [
      [DLT_EN10MB, ethernet(ip), 14],
      [DLT_EN10MB, ethernet(ip, { vlan: 5 }), 18],
      [DLT_LINUX_SLL, sll, 16],
      [DLT_RAW, ip, 0],
    ] as const
  ) {
    const dg = new IpDatagram();
    assert.ok(dg.parseFrame(datalink, frame, 0, frame.length));
    assert.equal(dg.network, start);
    assert.equal(dg.version, 4);
    assert.equal(dg.transportProto, 17);
    assert.equal(dg.sourcePort, 40000);
    assert.equal(dg.destinationPort, 53);
    assert.deepEqual(frame.subarray(dg.payload, dg.payload + dg.payloadLength), DNS);
  }
});

Deno.test("IpDatagram.parseFrame() skips other link types and other ethertypes", () => {
  const ip = udp4(CLIENT4, SERVER4, 40000, 53, DNS);
  const dg = new IpDatagram();
  const nullFrame = new Uint8Array([2, 0, 0, 0, ...ip]);
  assert.equal(dg.parseFrame(DLT_NULL, nullFrame, 0, nullFrame.length), false);
  const arp = ethernet(ip);
  arp[12] = 0x08;
  arp[13] = 0x06;
  assert.equal(dg.parseFrame(DLT_EN10MB, arp, 0, arp.length), false);
});

Deno.test("IpDatagram keeps Ethernet padding in the network length but not in the UDP payload", () => {
  const ip = udp4(CLIENT4, SERVER4, 40000, 53, DNS);
  const frame = ethernet(ip, { pad: 6 });
  const dg = new IpDatagram();
  assert.ok(dg.parseFrame(DLT_EN10MB, frame, 0, frame.length));
  assert.equal(dg.networkLength, ip.length + 6);
  assert.equal(dg.payloadLength, DNS.length);
});

Deno.test("IpDatagram walks IPv6 extension headers longer than 8 bytes", () => {
  // Hop-by-hop (16 bytes) then destination options (24 bytes): libnmsg misread these.
  const ip = udp6(CLIENT6, SERVER6, 40000, 53, DNS, [{ type: 0, length: 1 }, {
    type: 60,
    length: 2,
  }]);
  const dg = new IpDatagram();
  assert.ok(dg.parseFrame(DLT_RAW, ip, 0, ip.length));
  assert.equal(dg.version, 6);
  assert.equal(dg.transport, 40 + 16 + 24);
  assert.equal(dg.transportProto, 17);
  assert.deepEqual(ip.subarray(dg.payload, dg.payload + dg.payloadLength), DNS);
});

Deno.test("IpDatagram marks fragments; only the first one has a transport header", () => {
  const big = udp4(CLIENT4, SERVER4, 53, 40000, dnsMessage({ id: 1, qr: true, extra: 100 }));
  const [first, second] = fragment4(big, 64);
  const dg = new IpDatagram();
  assert.ok(dg.parseFrame(DLT_RAW, first!, 0, first!.length));
  assert.ok(dg.fragment);
  assert.equal(dg.transport, 20);
  assert.ok(dg.parseFrame(DLT_RAW, second!, 0, second!.length));
  assert.ok(dg.fragment);
  assert.equal(dg.transport, -1);
  assert.equal(dg.payload, 20);

  const [f6] = fragment6(udp6(CLIENT6, SERVER6, 53, 40000, DNS), 16);
  assert.ok(dg.parseFrame(DLT_RAW, f6!, 0, f6!.length));
  assert.ok(dg.fragment);
  assert.equal(dg.transport, 48);
});

Deno.test("IpDatagram rejects headers that claim more than was captured", () => {
  const ip = udp4(CLIENT4, SERVER4, 40000, 53, DNS);
  const dg = new IpDatagram();
  const bad = ip.slice();
  bad[0] = 0x4f; // 60-byte header
  assert.equal(dg.parseFrame(DLT_RAW, bad, 0, 24), false);
  assert.equal(dg.parseFrame(DLT_RAW, ip, 0, 25), false); // UDP header cut
  const tcp = ipv4({ src: CLIENT4, dst: SERVER4, proto: 6, payload: new Array(12).fill(0) });
  assert.equal(dg.parseFrame(DLT_RAW, tcp, 0, tcp.length), false);
});
