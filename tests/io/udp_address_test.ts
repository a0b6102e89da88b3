import assert from "node:assert/strict";
import {
  decodeSockaddr,
  encodeSockaddr,
  formatIpAddress,
  parseIpAddress,
  parseIpv4,
  parseIpv6,
} from "../../src/io/udp_address.ts";

Deno.test("parseIpv4() accepts dotted quads the way inet_pton does", () => {
  assert.deepEqual(parseIpv4("127.0.0.1"), new Uint8Array([127, 0, 0, 1]));
  assert.deepEqual(parseIpv4("255.255.255.255"), new Uint8Array([255, 255, 255, 255]));
  for (
    const bad of [
      "",
      "1.2.3",
      "1.2.3.4.5",
      "1.2.3.256",
      "01.2.3.4",
      "1..2.3",
      "1.2.3.4 ",
      "a.b.c.d",
      "0x1.2.3.4",
    ]
  ) {
    assert.equal(parseIpv4(bad), undefined, bad);
  }
});

Deno.test("parseIpv6() accepts groups, one ::, and a dotted-quad tail", () => {
  const hex = (s: string) =>
    [...parseIpv6(s) ?? []].map((b) => b.toString(16).padStart(2, "0")).join("");
  assert.equal(hex("::1"), "00000000000000000000000000000001");
  assert.equal(hex("::"), "0".repeat(32));
  assert.equal(hex("fe80::1:2"), "fe800000000000000000000000010002");
  assert.equal(hex("1:2:3:4:5:6:7:8"), "00010002000300040005000600070008");
  assert.equal(hex("1:2:3:4:5:6:7::"), "00010002000300040005000600070000");
  assert.equal(hex("::ffff:10.0.0.1"), "00000000000000000000ffff0a000001");
  assert.equal(hex("1:2:3:4:5:6:1.2.3.4"), "00010002000300040005000601020304");
  for (
    const bad of [
      "",
      ":",
      ":::",
      "1::2::3",
      "1:2:3:4:5:6:7",
      "1:2:3:4:5:6:7:8:9",
      "12345::",
      ":1::2",
      "1::2:",
      "::1.2.3",
      "g::",
      "1:2:3:4:5:6:7:8::",
    ]
  ) {
    assert.equal(parseIpv6(bad), undefined, bad);
  }
});

Deno.test("parseIpAddress() tries IPv6 first and rejects host names", () => {
  assert.equal(parseIpAddress("::1")?.family, 6);
  assert.equal(parseIpAddress("10.32.43.255")?.family, 4);
  assert.equal(parseIpAddress("localhost"), undefined);
});

Deno.test("formatIpAddress() prints what inet_ntop prints", () => {
  const cases = [
    "::1",
    "::",
    "1::",
    "1::2",
    "fe80::1:2",
    "1:0:2::3:0:0",
    "1:2:3:4:5:6:7:8",
    "::ffff:1.2.3.4",
    "::1.2.3.4",
    "1:0:2:3:4:5:6:7",
    "2001:db8::",
  ];
  for (const s of cases) assert.equal(formatIpAddress(parseIpv6(s)!), s);
  // The longest run of zero groups is compressed, the first one on a tie, never a single one.
  assert.equal(formatIpAddress(parseIpv6("1:0:0:2:0:0:0:3")!), "1:0:0:2::3");
  assert.equal(formatIpAddress(parseIpv6("1:0:0:2:3:0:0:4")!), "1::2:3:0:0:4");
  assert.equal(formatIpAddress(new Uint8Array([192, 168, 0, 1])), "192.168.0.1");
});

Deno.test("encodeSockaddr() and decodeSockaddr() use the Linux layouts", () => {
  const v4 = encodeSockaddr({ family: 4, address: new Uint8Array([127, 0, 0, 1]), port: 8430 });
  assert.deepEqual([...v4], [2, 0, 0x20, 0xee, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual(decodeSockaddr(v4), {
    family: 4,
    address: new Uint8Array([127, 0, 0, 1]),
    port: 8430,
  });
  const addr = parseIpv6("::1")!;
  const v6 = encodeSockaddr({ family: 6, address: addr, port: 1 });
  assert.equal(v6.length, 28);
  assert.deepEqual([...v6.subarray(0, 8)], [10, 0, 0, 1, 0, 0, 0, 0]);
  assert.deepEqual(decodeSockaddr(v6), { family: 6, address: addr, port: 1 });
  assert.equal(decodeSockaddr(new Uint8Array(16)), undefined);
});
