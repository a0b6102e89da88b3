import assert from "node:assert/strict";
import { parseSockspec, SockspecError } from "../../src/io/udp_sockspec.ts";
import { goldenBytes } from "../_golden.ts";

function fails(arg: string, option: "-l" | "-s"): { message: string; detail: string | undefined } {
  try {
    parseSockspec(arg, option);
  } catch (e) {
    assert.ok(e instanceof SockspecError);
    return { message: e.message, detail: e.detail };
  }
  assert.fail(`${arg} was accepted`);
}

// The recorded stderr of the C tool's usage cases: optional detail line, then the usage error.
function goldenStderr(id: string): string {
  return new TextDecoder().decode(goldenBytes(`expected/${id}.stderr`));
}

function asStderr(f: { message: string; detail: string | undefined }): string {
  return `${f.detail === undefined ? "" : f.detail + "\n"}nmsgtool: usage error: ${f.message}\n`;
}

Deno.test("parseSockspec() gives the C tool's messages for the golden usage cases", () => {
  assert.equal(asStderr(fails("127.0.0.1", "-l")), goldenStderr("usage_l_no_slash"));
  assert.equal(asStderr(fails("127.0.0.1", "-s")), goldenStderr("usage_s_no_slash"));
  assert.equal(asStderr(fails("127.0.0.1/9000..8000", "-l")), goldenStderr("usage_l_bad_range"));
  assert.equal(
    asStderr(fails("127.0.0.1/9000..9021", "-l")),
    goldenStderr("usage_l_range_too_big"),
  );
  assert.equal(asStderr(fails("localhost/9000", "-s")), goldenStderr("usage_s_bad_addr"));
});

Deno.test("parseSockspec() reads single ports and ranges of up to 21 ports", () => {
  const one = parseSockspec("127.0.0.1/8430", "-l");
  assert.equal(one.host, "127.0.0.1");
  assert.deepEqual(one.addresses.map((a) => a.port), [8430]);
  assert.equal(one.addresses[0]!.family, 4);
  const range = parseSockspec("::1/9000..9020", "-l");
  assert.equal(range.addresses.length, 21);
  assert.equal(range.addresses[20]!.port, 9020);
  assert.equal(range.addresses[0]!.family, 6);
  // sscanf("%d..%d"): a bare "lo.." or trailing junk leaves a single port.
  assert.deepEqual(parseSockspec("10.0.0.255/8430..", "-l").addresses.map((a) => a.port), [8430]);
  assert.deepEqual(parseSockspec("10.0.0.255/8430x", "-l").addresses.map((a) => a.port), [8430]);
  assert.equal(fails("127.0.0.1/x", "-l").message, "need a port number or range after /");
  assert.deepEqual(fails("127.0.0.1/0", "-l"), {
    message: "bad -l socket",
    detail: "getsock: invalid port number",
  });
});

Deno.test("parseSockspec() reads -s rates and frequencies in strtoul syntax", () => {
  assert.deepEqual(
    (({ rate, freq }) => ({ rate, freq }))(parseSockspec("127.0.0.1/8430", "-s")),
    { rate: 0, freq: 10 },
  );
  const r = parseSockspec("127.0.0.1/8430..8432,1000,100", "-s");
  assert.deepEqual([r.rate, r.freq, r.addresses.length], [1000, 100, 3]);
  assert.equal(parseSockspec("127.0.0.1/8430,0x10", "-s").rate, 16);
  assert.equal(parseSockspec("127.0.0.1/8430,010,0", "-s").freq, 10); // 0 → default
  assert.equal(parseSockspec("127.0.0.1/8430,010", "-s").rate, 8);
  assert.deepEqual(fails("127.0.0.1/8430..8431,5x", "-s"), {
    message: "bad -s socket",
    detail: "getsock: invalid packet rate (127.0.0.1/8430,5x)",
  });
  assert.deepEqual(fails("127.0.0.1/8430,5,y", "-s"), {
    message: "bad -s socket",
    detail: "getsock: bad frequency (127.0.0.1/8430,5,y)",
  });
  // -l ignores anything after the port.
  assert.equal(parseSockspec("127.0.0.1/8430,5", "-l").rate, 0);
});
