// The hot-path serialization of NMSG envelopes, shared by the public codecs and the
// container writer. Private: it works on the internal protobuf cursors.

import { NmsgFormatError } from "./errors.ts";
import type { SequenceInfo } from "./container.ts";
import { type Payload, payloadSize } from "./payload.ts";
import {
  int64Size,
  type ProtoReader,
  type ProtoWriter,
  varintSize,
  WT_I32,
  WT_LEN,
  WT_VARINT,
} from "./_protobuf.ts";

const REQUIRED_VID = 1;
const REQUIRED_MSGTYPE = 2;
const REQUIRED_TIME_SEC = 4;
const REQUIRED_TIME_NSEC = 8;
const REQUIRED_ALL = 15;

function wrongType(field: string, offset: number): NmsgFormatError {
  return new NmsgFormatError("protobuf", `NmsgPayload.${field} has the wrong wire type`, {
    offset,
  });
}

/** `PayloadFields.flags` bits. */
export const HAS_PAYLOAD = 1;
export const HAS_SOURCE = 2;
export const HAS_OPERATOR = 4;
export const HAS_GROUP = 8;
/**
 * The bytes are exactly what {@linkcode writePayload} makes of the decoded fields: known
 * fields only, in number order, each once, minimal varints, no bits lost in decoding.
 */
export const CANONICAL = 16;

/** The fields of one scanned `NmsgPayload`; the payload bytes as a range of the buffer. */
export interface PayloadFields {
  vid: number;
  msgtype: number;
  timeSec: number;
  timeNsec: number;
  /** Start of the `payload` bytes (the end of the message if absent). */
  payloadStart: number;
  /** Their length (0 if absent). */
  payloadLength: number;
  source: number;
  operator: number;
  group: number;
  /** HAS_* and CANONICAL bits. */
  flags: number;
}

/** A zeroed {@linkcode PayloadFields}. */
export function payloadFields(): PayloadFields {
  return {
    vid: 0,
    msgtype: 0,
    timeSec: 0,
    timeNsec: 0,
    payloadStart: 0,
    payloadLength: 0,
    source: 0,
    operator: 0,
    group: 0,
    flags: 0,
  };
}

/** True if the uint32 varint at `buf[at, end)` is minimal and lost no bits in decoding. */
function exactUint32(buf: Uint8Array, at: number, end: number, v: number): boolean {
  const n = end - at;
  return n === varintSize(v) && (n < 5 || buf[end - 1]! <= 0x0f);
}

/**
 * Scans one `NmsgPayload` in `r.buf[r.pos, end)` into `f`, leaving `r.pos` at `end`.
 * Throws {@linkcode NmsgFormatError} if a required field is missing or the bytes are
 * malformed. Unknown fields are skipped (and so dropped on re-encoding, as libnmsg does).
 */
export function scanPayload(r: ProtoReader, end: number, f: PayloadFields): void {
  const start = r.pos;
  const outerEnd = r.end;
  const buf = r.buf;
  r.end = end;
  let flags = 0;
  let seen = 0;
  let canonical = true;
  let last = 0;
  f.payloadStart = end;
  f.payloadLength = 0;
  while (r.pos < end) {
    const at = r.pos;
    const tag = r.uint32();
    const wt = tag & 7;
    const field = tag >>> 3;
    if (field <= last || r.pos - at !== 1) canonical = false;
    last = field;
    const vat = r.pos;
    switch (field) {
      case 1:
        if (wt !== WT_VARINT) throw wrongType("vid", at);
        f.vid = r.uint32();
        if (!exactUint32(buf, vat, r.pos, f.vid)) canonical = false;
        seen |= REQUIRED_VID;
        break;
      case 2:
        if (wt !== WT_VARINT) throw wrongType("msgtype", at);
        f.msgtype = r.uint32();
        if (!exactUint32(buf, vat, r.pos, f.msgtype)) canonical = false;
        seen |= REQUIRED_MSGTYPE;
        break;
      case 3: {
        if (wt !== WT_VARINT) throw wrongType("time_sec", at);
        const t = r.int64();
        f.timeSec = t;
        const n = r.pos - vat;
        // Exact below 2^53 only; a 10-byte (negative) varint carries one bit in its last byte.
        if (n !== int64Size(t) || !Number.isSafeInteger(t) || (n === 10 && buf[r.pos - 1] !== 1)) {
          canonical = false;
        }
        seen |= REQUIRED_TIME_SEC;
        break;
      }
      case 4:
        if (wt !== WT_I32) throw wrongType("time_nsec", at);
        f.timeNsec = r.fixed32();
        seen |= REQUIRED_TIME_NSEC;
        break;
      case 5: {
        if (wt !== WT_LEN) throw wrongType("payload", at);
        const pend = r.lenEnd();
        if (r.pos - vat !== varintSize(pend - r.pos)) canonical = false;
        f.payloadStart = r.pos;
        f.payloadLength = pend - r.pos;
        r.pos = pend;
        flags |= HAS_PAYLOAD;
        break;
      }
      case 7:
        if (wt !== WT_VARINT) throw wrongType("source", at);
        f.source = r.uint32();
        if (!exactUint32(buf, vat, r.pos, f.source)) canonical = false;
        flags |= HAS_SOURCE;
        break;
      case 8:
        if (wt !== WT_VARINT) throw wrongType("operator", at);
        f.operator = r.uint32();
        if (!exactUint32(buf, vat, r.pos, f.operator)) canonical = false;
        flags |= HAS_OPERATOR;
        break;
      case 9:
        if (wt !== WT_VARINT) throw wrongType("group", at);
        f.group = r.uint32();
        if (!exactUint32(buf, vat, r.pos, f.group)) canonical = false;
        flags |= HAS_GROUP;
        break;
      default:
        canonical = false;
        r.skip(wt);
    }
  }
  if (r.pos !== end) {
    throw new NmsgFormatError("protobuf", "NmsgPayload field runs past its end", { offset: end });
  }
  if (seen !== REQUIRED_ALL) {
    const missing = ["vid", "msgtype", "time_sec", "time_nsec"].filter((_, i) =>
      !(seen & (1 << i))
    );
    throw new NmsgFormatError(
      "protobuf",
      `NmsgPayload is missing required field ${missing.join(", ")}`,
      { offset: start },
    );
  }
  r.end = outerEnd;
  f.flags = canonical ? flags | CANONICAL : flags;
}

// Varint readers for the fast paths (ContainerView, countPayloads): most payloads are
// written by protobuf-c or by us, fields in order and varints minimal. They give up (-1)
// on anything else, leaving it to the general cursor.

/** Where the last fast read ended. */
let next = 0;

/** A minimal uint32 varint in `buf[p, end)` (`next` = past it), or -1. */
export function fastUint32(buf: Uint8Array, p: number, end: number): number {
  if (p >= end) return -1;
  let b = buf[p++]!;
  if (b < 0x80) {
    next = p;
    return b;
  }
  let x = b & 0x7f;
  for (let shift = 7; p < end; shift += 7) {
    b = buf[p++]!;
    if (shift === 28) {
      // The fifth byte holds the top 4 bits; zero would not be minimal.
      if (b > 0x0f || b === 0) return -1;
      next = p;
      return (x | (b << 28)) >>> 0;
    }
    x |= (b & 0x7f) << shift;
    if (b < 0x80) {
      if (b === 0) return -1;
      next = p;
      return x;
    }
  }
  return -1;
}

/** `next` after the last successful {@linkcode fastUint32}. */
export function fastNext(): number {
  return next;
}

/** A minimal non-negative int64 varint below 2^49 in `buf[p, end)` (`next` = past it), or -1. */
export function fastTime(buf: Uint8Array, p: number, end: number): number {
  let x = 0;
  let scale = 1;
  for (let k = 0; k < 7 && p < end; k++) {
    const b = buf[p++]!;
    x += (b & 0x7f) * scale;
    if (b < 0x80) {
      if (b === 0 && k > 0) return -1;
      next = p;
      return x;
    }
    scale *= 128;
  }
  return -1;
}

/** Builds a payload from scanned fields; `payload` is a view into `buf`. */
export function toPayload(f: PayloadFields, buf: Uint8Array): Payload {
  const p: Payload = { vid: f.vid, msgtype: f.msgtype, timeSec: f.timeSec, timeNsec: f.timeNsec };
  const flags = f.flags;
  if (flags & HAS_PAYLOAD) {
    p.payload = buf.subarray(f.payloadStart, f.payloadStart + f.payloadLength);
  }
  if (flags & HAS_SOURCE) p.source = f.source;
  if (flags & HAS_OPERATOR) p.operator = f.operator;
  if (flags & HAS_GROUP) p.group = f.group;
  return p;
}

/** Writes a payload's fields in field-number order, as protobuf-c packs them. */
export function writePayload(w: ProtoWriter, p: Payload): void {
  w.ensure(32);
  w.buf[w.pos++] = 0x08;
  w.varint(p.vid);
  w.buf[w.pos++] = 0x10;
  w.varint(p.msgtype);
  w.buf[w.pos++] = 0x18;
  w.int64(p.timeSec);
  w.ensure(5);
  w.buf[w.pos++] = 0x25;
  w.fixed32(p.timeNsec);
  if (p.payload !== undefined) {
    w.ensure(1);
    w.buf[w.pos++] = 0x2a;
    w.lenBytes(p.payload);
  }
  if (p.source !== undefined) {
    w.ensure(1);
    w.buf[w.pos++] = 0x38;
    w.varint(p.source);
  }
  if (p.operator !== undefined) {
    w.ensure(1);
    w.buf[w.pos++] = 0x40;
    w.varint(p.operator);
  }
  if (p.group !== undefined) {
    w.ensure(1);
    w.buf[w.pos++] = 0x48;
    w.varint(p.group);
  }
}

/** Writes one `payloads` entry (tag, length, `NmsgPayload`). */
export function writePayloadEntry(w: ProtoWriter, p: Payload): void {
  const size = payloadSize(p);
  w.ensure(6 + size);
  w.buf[w.pos++] = 0x0a;
  w.varint(size);
  writePayload(w, p);
}

/**
 * Writes what follows the payloads in a container: one unpacked `payload_crcs` element per
 * payload (as protobuf-c packs them), then the sequence fields if any.
 */
export function writeContainerTrailer(
  w: ProtoWriter,
  crcs: ArrayLike<number>,
  count: number,
  seq?: SequenceInfo,
): void {
  w.ensure(6 * count + 16);
  const b = w.buf;
  let p = w.pos;
  for (let i = 0; i < count; i++) {
    let v = crcs[i]!;
    b[p++] = 0x10;
    while (v >= 0x80) {
      b[p++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    b[p++] = v;
  }
  w.pos = p;
  if (seq !== undefined) {
    w.buf[w.pos++] = 0x18;
    w.varint(seq.sequence);
    w.buf[w.pos++] = 0x20;
    w.uint64Big(seq.sequenceId);
  }
}
