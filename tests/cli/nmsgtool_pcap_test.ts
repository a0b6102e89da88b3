// nmsgtool's pcap inputs beyond the golden cases: live capture on the loopback interface
// while this test sends DNS over 127.0.0.1, stopped by SIGINT, and the message a missing
// ffi grant gives. The tool runs with its own narrow permission flags.

import assert from "node:assert/strict";
import dgram from "node:dgram";
import { permissionFlags, TOOLS } from "../../cli/permissions.ts";
import { PcapHandle } from "../../src/pcap/pcap_handle.ts";
import { runDeno, runTool } from "../_cli.ts";
import { GOLDEN_DIR, goldenBytes } from "../_golden.ts";
import { findLibrary, nativeRequired } from "../_native.ts";
import { startTool, waitUntil } from "./_background_tool.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const HAVE_LIBPCAP = findLibrary("libpcap") !== undefined;

/** Whether this process may capture on `lo` (root or CAP_NET_RAW), printing why not. */
function canCaptureLoopback(): boolean {
  if (!HAVE_LIBPCAP) return false;
  try {
    PcapHandle.openLive("lo").close();
    return true;
  } catch (e) {
    if (nativeRequired()) throw e;
    console.log(`skipping: cannot capture on lo: ${e instanceof Error ? e.message : e}`);
    return false;
  }
}

/** A DNS message for example.com/A with id `id`, a query or a response. */
function dns(id: number, response: boolean): Uint8Array {
  const name = [7, ...new TextEncoder().encode("example"), 3, 99, 111, 109, 0];
  const flags = response ? [0x81, 0x80] : [0x01, 0x00];
  return new Uint8Array([
    id >> 8,
    id & 0xff,
    ...flags,
    0,
    1,
    0,
    0,
    0,
    0,
    0,
    0,
    ...name,
    0,
    1,
    0,
    1,
  ]);
}

/** Binds to 127.0.0.1:`port`; false if it is taken. */
function bind(socket: dgram.Socket, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    socket.once("error", () => resolve(false));
    socket.bind(port, "127.0.0.1", () => resolve(true));
  });
}

/** Sends once the datagram has left, so that the capture sees them in order. */
function send(socket: dgram.Socket, bytes: Uint8Array, port: number): Promise<void> {
  return new Promise((resolve, reject) =>
    socket.send(bytes, port, "127.0.0.1", (e) => e ? reject(e) : resolve())
  );
}

Deno.test({
  name: "nmsgtool -i lo -V base -T dnsqr pairs live DNS traffic and stops on SIGINT",
  ignore: !canCaptureLoopback(),
  async fn() {
    // dnsqr only looks at port 53 and 5353. The server socket only sends, so it may share
    // the port (an mDNS responder, or this test run elsewhere at the same time).
    const server = dgram.createSocket({ type: "udp4", reuseAddr: true });
    const client = dgram.createSocket("udp4");
    let port = 5353;
    if (!await bind(server, port)) {
      port = 53;
      assert.ok(await bind(server, port), "neither 127.0.0.1:5353 nor :53 is free");
    }
    assert.ok(await bind(client, 0));
    const clientPort = client.address().port;

    const dir = await Deno.makeTempDir();
    const out = `${dir}/out.json`;
    const lines = () => {
      try {
        return Deno.readTextFileSync(out).split("\n").filter((l) => l !== "");
      } catch {
        return [];
      }
    };
    const tool = startTool("nmsgtool", [
      "-dd",
      "-i",
      "lo",
      "-V",
      "base",
      "-T",
      "dnsqr",
      "-b",
      // This client's port: no other traffic to or from the DNS port gets in.
      `udp port ${port} and udp port ${clientPort}`,
      "-J",
      out,
      // Each record is written at once, so the test can wait for them before SIGINT.
      "--unbuffered",
    ]);
    const ids = [0x1001, 0x1002, 0x1003];
    let res;
    try {
      await waitUntil(
        "the capture has started",
        () => tool.stderr().includes("nmsgtool: pcap interface input: lo\n"),
      );
      for (const id of ids) {
        await send(client, dns(id, false), port);
        await send(server, dns(id, true), clientPort);
      }
      await waitUntil("the pairs are written", () => lines().length >= ids.length);
    } finally {
      res = await tool.stop("SIGINT");
      client.close();
      server.close();
    }
    try {
      assert.equal(res.code, 1, "nmsgtool exits 1 when interrupted, as the C tool does");
      assert.match(res.stderr, /nmsgtool: signalled break/);
      const records = lines().map((l) => JSON.parse(l));
      assert.deepEqual(records.map((r) => r.message.id), ids);
      for (const r of records) {
        assert.equal(r.vname, "base");
        assert.equal(r.mname, "dnsqr");
        const m = r.message;
        assert.equal(m.type, "UDP_QUERY_RESPONSE");
        assert.equal(m.query_ip, "127.0.0.1");
        assert.equal(m.response_ip, "127.0.0.1");
        assert.equal(m.proto, "UDP");
        assert.equal(m.query_port, clientPort);
        assert.equal(m.response_port, port);
        assert.equal(m.qname, "example.com.");
        assert.equal(m.qtype, "A");
        assert.equal(m.rcode, "NOERROR");
        assert.equal(m.query_packet.length, 1);
        assert.equal(m.response_packet.length, 1);
        assert.ok(m.delay >= 0 && m.delay < 5);
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "nmsgtool names the --allow-ffi flag to add when libpcap may not be loaded",
  ignore: !HAVE_LIBPCAP,
  async fn() {
    const flags = permissionFlags("nmsgtool").filter((f) => !f.startsWith("--allow-ffi"));
    const out = await runDeno([
      "run",
      ...flags,
      ROOT + TOOLS.nmsgtool.entry,
      "-p",
      "inputs/generic-tests_dig_response.pcap",
      "-V",
      "base",
      "-T",
      "dnsqr",
    ], { cwd: GOLDEN_DIR });
    assert.equal(out.code, 1);
    assert.match(
      out.stderr,
      /^nmsgtool: missing permission: ffi access to "\/[^"]*libpcap[^"]*"; run with --allow-ffi=\/\S*libpcap\S*\n$/,
    );
  },
});

Deno.test({
  name: "nmsgtool -i refuses a bad snap length and a missing interface",
  ignore: !HAVE_LIBPCAP,
  async fn() {
    const bad = await runTool("nmsgtool", ["-i", "lo,12x", "-V", "base", "-T", "dnsqr"]);
    assert.equal(bad.code, 1);
    assert.equal(bad.stderr, "nmsgtool: parse error: '12x' is not a valid snaplen\n");
    const missing = await runTool("nmsgtool", ["-i", "nmsg-no-such0", "-V", "base", "-T", "pkt"]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^nmsgtool: (unable to add pcap interface input|pcap_activate)/);
  },
});

Deno.test({
  name: "nmsgtool resolves capture module names without case and with ISC for base",
  ignore: !HAVE_LIBPCAP,
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      const out = `${dir}/out.nmsg`;
      const r = await runTool("nmsgtool", [
        "-V",
        "ISC",
        "-T",
        "DnsQR",
        "--setsource",
        "0x19721976",
        "-p",
        "inputs/nmsg-dnsqr-tests_test1-dnsqr.pcap",
        "-w",
        out,
      ], { cwd: GOLDEN_DIR });
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(
        await Deno.readFile(out),
        goldenBytes("expected/pcap-dnsqr-repack_test1-dnsqr_setsource.out"),
      );
      const unknown = await runTool("nmsgtool", [
        "-V",
        "base",
        "-T",
        "dnsqrx",
        "-p",
        "inputs/nmsg-dnsqr-tests_test1-dnsqr.pcap",
        "-w",
        out,
      ], { cwd: GOLDEN_DIR });
      assert.equal(unknown.code, 1);
      assert.equal(unknown.stderr, "nmsgtool: usage error: invalid message type\n");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
