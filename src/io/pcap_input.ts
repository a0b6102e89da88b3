/**
 * pcap inputs (nmsgtool `-p FILE`, `-i IFACE[+][,SNAPLEN]`, `-b FILTER`): packets from a
 * savefile or a live interface, turned into payloads by the message module's capture
 * hook (dnsqr, packet, pkt, ncap).
 *
 * @module
 */

import type { Input, PayloadBatch } from "../engine/types.ts";
import { parseCNumber } from "../msgmod/dns/_cnum.ts";
import { nameFromText } from "../msgmod/dns/name.ts";
import {
  type CaptureConverter,
  CaptureUnsupportedError,
  createCaptureConverter,
} from "../msgmod/capture/capture_converter.ts";
import { DnsqrAddressError, dnsqrAddressFilter } from "../msgmod/capture/dnsqr_bpf.ts";
import type { DnsqrEngineOptions } from "../msgmod/capture/dnsqr_engine.ts";
import { DLT_RAW } from "../msgmod/capture/ip_datagram.ts";
import type { MessageModule } from "../msgmod/module.ts";
import type { BpfProgram } from "../pcap/bpf_program.ts";
import { captureFilter, moduleCaptureFilter } from "../pcap/capture_filter.ts";
import { CaptureLoop } from "../pcap/capture_loop.ts";
import { PcapError } from "../pcap/errors.ts";
import { PcapHandle } from "../pcap/pcap_handle.ts";
import type { Payload } from "../wire/payload.ts";
import { ProtoWriter } from "../wire/_protobuf.ts";

/**
 * A pcap input could not be set up. `message` is what nmsgtool prints after its name
 * (`nmsgtool: <message>`); `detail`, when set, is a line printed before it, as libnmsg
 * prints its own diagnostics first.
 */
export class PcapInputError extends Error {
  /** Always `"PcapInputError"`. */
  override name = "PcapInputError";
  /** A diagnostic line to print before the message, if any. */
  readonly detail: string | undefined;

  /**
   * Creates the error.
   *
   * @param message The error, without the program name.
   * @param detail A line to print first.
   */
  constructor(message: string, detail?: string) {
    super(message);
    this.detail = detail;
  }
}

/** The dnsqr settings nmsgtool reads from the environment. */
export interface DnsqrSettings extends Omit<DnsqrEngineOptions, "userFilter"> {
  /** `DNSQR_AUTH_ADDRS`: authoritative servers to capture traffic of. */
  authAddrs?: string | undefined;
  /** `DNSQR_RES_ADDRS`: resolvers to capture traffic of. */
  resAddrs?: string | undefined;
}

/** How to build a pcap input. */
export interface PcapInputOptions {
  /**
   * The message module (`-V/-T`); it must have a capture hook. Only its identity is used,
   * so a registry's module or just its numbers and name will do.
   */
  module: Pick<MessageModule, "vid" | "msgtype" | "mname">;
  /** The user's BPF filter (`-b`, or `NMSG_BPF`). */
  bpf?: string | undefined;
  /** dnsqr settings; default: {@linkcode dnsqrSettingsFromEnv}. */
  dnsqr?: DnsqrSettings;
  /** Most payloads per batch (default 1024). */
  batchSize?: number;
  /** Prints a diagnostic line at a debug level (as nmsgtool `-d`). */
  log?: (level: number, line: string) => void;
}

/** A live capture request: `IFACE[+][,SNAPLEN]`. */
export interface InterfaceSpec {
  /** The interface. */
  device: string;
  /** `+` anywhere in the interface part: promiscuous mode. */
  promiscuous: boolean;
  /** Bytes captured per packet (default 1522, as nmsgtool). */
  snaplen: number;
}

/** nmsgtool's default snap length (`NMSG_DEFAULT_SNAPLEN`). */
export const DEFAULT_SNAPLEN = 1522;

/**
 * Parses nmsgtool's `-i` argument: `IFACE[+][,SNAPLEN]`; the snap length is read as C
 * `strtol` base 0 (`0x5ea` works) and must be a non-negative number with nothing after it.
 *
 * @param arg The argument.
 * @returns The interface, promiscuous flag and snap length.
 * @throws {PcapInputError} `parse error: '<x>' is not a valid snaplen`.
 *
 * @example
 * ```ts
 * import { parseInterfaceSpec } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(parseInterfaceSpec("eth1+,0x5ea"), {
 *   device: "eth1",
 *   promiscuous: true,
 *   snaplen: 1514,
 * });
 * ```
 */
export function parseInterfaceSpec(arg: string): InterfaceSpec {
  // strtok_r semantics: empty fields are skipped.
  const [iface = "", snap] = arg.split(",").filter((s) => s !== "");
  let snaplen = DEFAULT_SNAPLEN;
  if (snap !== undefined) {
    const n = parseCNumber(snap, 0, 2 ** 63);
    if (snap.slice(n.end) !== "" || n.value < 0 || n.value > 0x7fffffff) {
      throw new PcapInputError(`parse error: '${snap}' is not a valid snaplen`);
    }
    snaplen = n.value;
  }
  const plus = iface.indexOf("+");
  return {
    device: plus < 0 ? iface : iface.slice(0, plus),
    promiscuous: plus >= 0,
    snaplen,
  };
}

/** C `getenv_int`: the whole value must be a `strtol` base-0 number. */
function envInt(get: (name: string) => string | undefined, name: string): number | undefined {
  const s = get(name);
  if (s === undefined) return undefined;
  const n = parseCNumber(s, 0, 2 ** 63);
  return s.slice(n.end) === "" ? n.value : undefined;
}

function envGetter(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch (e) {
    // Without --allow-env for DNSQR_* the settings are simply absent.
    if (e instanceof Deno.errors.NotCapable) return undefined;
    throw e;
  }
}

/**
 * Reads the dnsqr settings from `DNSQR_*` environment variables, as libnmsg's dnsqr
 * module does: `DNSQR_QUERY_TIMEOUT`, `DNSQR_STATE_TABLE_MAX`, `DNSQR_CAPTURE_QR`,
 * `DNSQR_CAPTURE_RD`, `DNSQR_ZERO_RESOLVER_ADDRESS`, `DNSQR_FILTER_QNAMES_INCLUDE`,
 * `DNSQR_FILTER_QNAMES_EXCLUDE` (`:`-separated names), `DNSQR_AUTH_ADDRS` and
 * `DNSQR_RES_ADDRS` (`,`-separated addresses). Unparseable values count as unset;
 * unparseable names are reported through `log` and left out.
 *
 * @param get Reads a variable (default: `Deno.env.get`, unset without permission).
 * @param log Receives diagnostic lines.
 * @returns The settings.
 *
 * @example
 * ```ts
 * import { dnsqrSettingsFromEnv } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const env: Record<string, string> = { DNSQR_CAPTURE_QR: "1", DNSQR_QUERY_TIMEOUT: "0x10" };
 * assert.deepEqual(dnsqrSettingsFromEnv((name) => env[name]), { captureQr: 1, queryTimeout: 16 });
 * ```
 */
export function dnsqrSettingsFromEnv(
  get: (name: string) => string | undefined = envGetter,
  log?: (level: number, line: string) => void,
): DnsqrSettings {
  const s: DnsqrSettings = {};
  const qr = envInt(get, "DNSQR_CAPTURE_QR");
  if (qr === 0 || qr === 1) s.captureQr = qr;
  const rd = envInt(get, "DNSQR_CAPTURE_RD");
  if (rd === 0 || rd === 1) s.captureRd = rd;
  const zero = envInt(get, "DNSQR_ZERO_RESOLVER_ADDRESS");
  if (zero !== undefined && zero !== 0) s.zeroResolverAddress = true;
  const max = envInt(get, "DNSQR_STATE_TABLE_MAX");
  if (max !== undefined && max > 0) s.maxPending = max;
  const timeout = envInt(get, "DNSQR_QUERY_TIMEOUT");
  if (timeout !== undefined && timeout > 0) s.queryTimeout = timeout;
  for (
    const [name, key] of [
      ["DNSQR_FILTER_QNAMES_INCLUDE", "qnamesInclude"],
      ["DNSQR_FILTER_QNAMES_EXCLUDE", "qnamesExclude"],
    ] as const
  ) {
    const v = get(name);
    if (v === undefined) continue;
    const names: Uint8Array[] = [];
    for (const token of v.split(":").filter((t) => t !== "")) {
      try {
        names.push(nameFromText(token, { downcase: true }));
      } catch (e) {
        log?.(1, `dnsqr_filter_init: cannot parse name '${token}' in ${name}: ${e}`);
      }
    }
    s[key] = names;
  }
  const auth = get("DNSQR_AUTH_ADDRS");
  if (auth !== undefined) s.authAddrs = auth;
  const res = get("DNSQR_RES_ADDRS");
  if (res !== undefined) s.resAddrs = res;
  return s;
}

/**
 * Payloads from a pcap savefile or a live interface.
 *
 * Packets pass the capture filter in libpcap; the module's capture hook then turns them
 * into payloads (pairing DNS queries and responses for dnsqr). A file input ends at the
 * end of the file, after the module flushes what it holds (unanswered dnsqr queries); a
 * live input (`PcapInput.openInterface(parseInterfaceSpec("eth0+"), options)`) runs until
 * {@linkcode PcapInput.close}.
 *
 * @example DNS query/response pairs from a savefile
 * ```ts
 * import { defaultRegistry, PcapInput } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const input = PcapInput.openFile("tests/testdata/dig_response.pcap", {
 *   module: defaultRegistry().lookupByName("base", "dnsqr")!,
 *   dnsqr: {},
 * });
 * let pairs = 0;
 * for (let b = await input.read(); b !== null; b = await input.read()) {
 *   pairs += b.payloads.length;
 * }
 * assert.equal(pairs, 6);
 * ```
 */
export class PcapInput implements Input {
  /** The file path or interface name. */
  readonly name: string;
  readonly #loop: CaptureLoop;
  readonly #converter: CaptureConverter;
  readonly #dead: PcapHandle | undefined;
  readonly #userProgram: BpfProgram | undefined;
  readonly #batchSize: number;
  // The batch being filled, and the one callback that fills it (a new closure per batch
  // would make the optimized capture loop bail out).
  #out: Payload[] = [];
  readonly #onPacket = (h: PcapHandle): boolean => {
    const out = this.#out;
    this.#converter.packet(h.data, h.caplen, h.length, h.tsSec, h.tsUsec * 1000, out, h.dataOffset);
    return out.length < this.#batchSize;
  };
  // The payloads of the current batch are encoded one after the other here; read()
  // rewinds it, as the Input contract lets payload bytes live until the next read().
  readonly #batchBytes = new ProtoWriter(1 << 20);
  #ended = false;
  #closing: Promise<void> | undefined;
  // A read error met after payloads were made: thrown by the next read().
  #failure: { error: unknown } | undefined;

  private constructor(handle: PcapHandle, options: PcapInputOptions) {
    this.name = handle.source;
    this.#batchSize = options.batchSize ?? 1024;
    const log = options.log ?? (() => {});
    let dead: PcapHandle | undefined;
    let program: BpfProgram | undefined;
    try {
      const dnsqr: DnsqrSettings = options.module.mname === "dnsqr"
        ? options.dnsqr ?? dnsqrSettingsFromEnv(envGetter, log)
        : {};
      // Filters run on raw IP datagrams: compiled for DLT_RAW, as libnmsg does.
      dead = PcapHandle.openDead(DLT_RAW, 1500);
      const compiles = (e: string) => handle.compiles(e);
      const setFilter = (expression: string, install: string) => {
        program?.free();
        program = undefined;
        program = dead!.compile(expression);
        log(3, `nmsg_pcap_input_setfilter: using bpf '${install}'`);
        handle.setFilter(install);
      };

      let converter: CaptureConverter | undefined;
      try {
        converter = createCaptureConverter(
          options.module,
          { datalink: handle.datalink, datalinkName: handle.datalinkName, live: handle.live },
          {
            dnsqr,
            userFilter: (buf, start, length) =>
              program === undefined || program.matches(buf.subarray(start, start + length)),
            writer: this.#batchBytes,
          },
        );
        const addressFilter = options.module.mname === "dnsqr"
          ? dnsqrAddressFilter(dnsqr.authAddrs, dnsqr.resAddrs, dnsqr.captureQr)
          : undefined;
        if (addressFilter !== undefined) {
          setFilter(addressFilter, moduleCaptureFilter(addressFilter, compiles));
        }
      } catch (e) {
        if (e instanceof CaptureUnsupportedError || e instanceof DnsqrAddressError) {
          throw new PcapInputError("nmsg_input_open_pcap() failed", e.message);
        }
        if (e instanceof PcapError) {
          throw new PcapInputError("nmsg_input_open_pcap() failed", e.message);
        }
        throw e;
      }
      if (converter === undefined) throw new PcapInputError("nmsg_input_open_pcap() failed");
      this.#converter = converter;

      if (options.bpf !== undefined) {
        const user = options.bpf;
        try {
          dead.compile(user).free();
        } catch (e) {
          if (!(e instanceof PcapError)) throw e;
          throw new PcapInputError(
            "nmsg_pcap_input_setfilter() failed",
            `nmsg_pcap_input_setfilter: unable to compile bpf '${user}': ${e.detail}`,
          );
        }
        const plan = captureFilter(user, compiles);
        log(5, `nmsg_pcap_input_setfilter: need_ip6=${+plan.ip6}`);
        log(5, `nmsg_pcap_input_setfilter: need_ipv4_frags=${+plan.ipv4Fragments}`);
        log(5, `nmsg_pcap_input_setfilter: need_vlan=${+plan.vlan}`);
        log(5, `nmsg_pcap_input_setfilter: userbpf_ip_only=${+plan.ipOnly}`);
        try {
          setFilter(user, plan.filter);
        } catch (e) {
          if (!(e instanceof PcapError)) throw e;
          throw new PcapInputError(
            "nmsg_pcap_input_setfilter() failed",
            `nmsg_pcap_input_setfilter: ${e.message}`,
          );
        }
      }
    } catch (e) {
      program?.free();
      dead?.close();
      handle.close();
      throw e;
    }
    this.#dead = dead;
    this.#userProgram = program;
    this.#loop = new CaptureLoop(handle);
  }

  /**
   * Opens a pcap or pcapng savefile.
   *
   * @param path The file.
   * @param options The module, filter and settings.
   * @returns The input.
   * @throws {PcapInputError} If the file cannot be read, the module cannot read it, or the
   *   filter does not compile.
   */
  static openFile(path: string, options: PcapInputOptions): PcapInput {
    let handle: PcapHandle;
    try {
      handle = PcapHandle.openOffline(path);
    } catch (e) {
      if (!(e instanceof PcapError)) throw e;
      throw new PcapInputError(`unable to add pcap file input ${path}: ${e.detail}`);
    }
    return new PcapInput(handle, options);
  }

  /**
   * Opens a live capture: promiscuous if asked, the given snap length, a 16 MiB kernel
   * buffer, immediate delivery.
   *
   * @param spec The interface (see {@linkcode parseInterfaceSpec}).
   * @param options The module, filter and settings.
   * @returns The input.
   * @throws {PcapInputError} If the interface cannot be opened (e.g. without privilege),
   *   the module cannot read it, or the filter does not compile.
   */
  static openInterface(spec: InterfaceSpec, options: PcapInputOptions): PcapInput {
    let handle: PcapHandle;
    try {
      handle = PcapHandle.openLive(spec.device, {
        snaplen: spec.snaplen,
        promiscuous: spec.promiscuous,
        bufferSize: 16 * 1024 * 1024,
        immediate: true,
        timeoutMs: 1000,
      });
    } catch (e) {
      if (!(e instanceof PcapError)) throw e;
      throw new PcapInputError(
        e.operation === "pcap_activate"
          ? `pcap_activate() failed: ${e.status}: ${e.detail}`
          : `unable to add pcap interface input ${spec.device}: ${e.detail}`,
      );
    }
    return new PcapInput(handle, options);
  }

  /**
   * Reads the next batch of payloads: at most `batchSize`, or what a live capture has
   * right now (waiting for packets when there are none).
   *
   * @returns The batch, or null at the end of the file or once closed.
   * @throws {PcapError} If libpcap reports a read error.
   */
  async read(): Promise<PayloadBatch | null> {
    if (this.#failure !== undefined) {
      const e = this.#failure.error;
      this.#failure = undefined;
      throw e;
    }
    const conv = this.#converter;
    this.#batchBytes.pos = 0;
    while (!this.#ended) {
      const out: Payload[] = this.#out = [];
      let r;
      try {
        r = this.#loop.drain(this.#onPacket);
      } catch (e) {
        // A read error ends the input, but what was made before it is delivered first,
        // queries still waiting for a response included (libnmsg dropped them).
        this.#ended = true;
        conv.end(out);
        await this.#release();
        if (out.length === 0) throw e;
        this.#failure = { error: e };
        return { payloads: out };
      }
      if (r === "end") {
        this.#ended = true;
        // A capture that was stopped drops what it holds, as nmsgtool does on a signal.
        if (!this.#loop.stopped) conv.end(out);
        await this.#release();
      } else if (r === "idle") {
        conv.idle(out);
        if (out.length === 0) await this.#loop.wait();
      }
      if (out.length > 0) return { payloads: out };
    }
    return null;
  }

  /** Stops the input: a pending or later `read()` resolves null. Idempotent. */
  close(): Promise<void> {
    this.#loop.stop();
    return this.#release();
  }

  #release(): Promise<void> {
    this.#closing ??= this.#loop.close().finally(() => {
      this.#userProgram?.free();
      this.#dead?.close();
    });
    return this.#closing;
  }
}
