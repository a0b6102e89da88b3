// The hot-path serialization of NMSG envelopes, shared by the public codecs and the
// container writer. Private: it works on the internal protobuf cursors.

import { NmsgFormatError } from "./errors.ts";
import type { SequenceInfo } from "./container.ts";
import { type Payload, payloadSize } from "./payload.ts";
import { type ProtoReader, type ProtoWriter, WT_I32, WT_LEN, WT_VARINT } from "./_protobuf.ts";

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

/**
 * Decodes one `NmsgPayload` from `r.buf[r.pos, end)`; `payload` is a view into the buffer.
 * Throws {@linkcode NmsgFormatError} if a required field is missing or the bytes are
 * malformed. Unknown fields are skipped (and so dropped on re-encoding, as libnmsg does).
 */
export function readPayload(r: ProtoReader, end: number): Payload {
  const start = r.pos;
  const outerEnd = r.end;
  r.end = end;
  const p: Payload = { vid: 0, msgtype: 0, timeSec: 0, timeNsec: 0 };
  let seen = 0;
  while (r.pos < end) {
    const at = r.pos;
    const tag = r.uint32();
    const wt = tag & 7;
    switch (tag >>> 3) {
      case 1:
        if (wt !== WT_VARINT) throw wrongType("vid", at);
        p.vid = r.uint32();
        seen |= REQUIRED_VID;
        break;
      case 2:
        if (wt !== WT_VARINT) throw wrongType("msgtype", at);
        p.msgtype = r.uint32();
        seen |= REQUIRED_MSGTYPE;
        break;
      case 3:
        if (wt !== WT_VARINT) throw wrongType("time_sec", at);
        p.timeSec = r.int64();
        seen |= REQUIRED_TIME_SEC;
        break;
      case 4:
        if (wt !== WT_I32) throw wrongType("time_nsec", at);
        p.timeNsec = r.fixed32();
        seen |= REQUIRED_TIME_NSEC;
        break;
      case 5:
        if (wt !== WT_LEN) throw wrongType("payload", at);
        p.payload = r.bytes();
        break;
      case 7:
        if (wt !== WT_VARINT) throw wrongType("source", at);
        p.source = r.uint32();
        break;
      case 8:
        if (wt !== WT_VARINT) throw wrongType("operator", at);
        p.operator = r.uint32();
        break;
      case 9:
        if (wt !== WT_VARINT) throw wrongType("group", at);
        p.group = r.uint32();
        break;
      default:
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
  crcs: readonly number[],
  seq?: SequenceInfo,
): void {
  w.ensure(6 * crcs.length + 16);
  for (const crc of crcs) {
    w.buf[w.pos++] = 0x10;
    w.varint(crc);
  }
  if (seq !== undefined) {
    w.buf[w.pos++] = 0x18;
    w.varint(seq.sequence);
    w.buf[w.pos++] = 0x20;
    w.uint64Big(seq.sequenceId);
  }
}
