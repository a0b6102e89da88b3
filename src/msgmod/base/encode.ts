/**
 * base/encode (1:11): an opaque payload in a named encoding (text, JSON, YAML, MessagePack,
 * XML). In JSON output the payload is an object with the base64 bytes and, for textual
 * encodings, the value itself.
 *
 * @module
 */

import { EncodeSchema } from "../../../gen/nmsg/base/encode_pb.ts";
import { builtin, field, VID_BASE } from "../_define.ts";
import { type TextWriter, withFastHooks } from "../_fast.ts";
import { ascii, writeBase64, writeEscaped } from "../_out.ts";
import { bytesText } from "../_text.ts";
import type { MessageModule } from "../module.ts";

const JSON_TYPE = 1;
const MSGPACK = 3;

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

const VAL = ascii('{"val":');
const B64 = ascii('"b64":"');

/** `{"val":…,"b64":"…"}`: `val` verbatim for valid JSON, as a string for text encodings. */
const formatPayload: TextWriter = (out, msg, v) => {
  const data = v as Uint8Array;
  const type = msg.raw("type") as number;
  if (type === MSGPACK || (type === JSON_TYPE && !isJson(bytesText(data)))) out.byte(0x7b);
  else {
    out.lit(VAL);
    if (type === JSON_TYPE) out.bytes(data);
    else {
      // All the bytes, NULs included; libnmsg crashes on an empty payload here (golden
      // README, reference bug 6).
      out.byte(0x22);
      writeEscaped(out, data);
      out.byte(0x22);
    }
    out.byte(0x2c);
  }
  out.lit(B64);
  writeBase64(out, data);
  out.byte(0x22);
  out.byte(0x7d);
  return true;
};

/** The base/encode module. */
export const encodeModule: MessageModule = builtin(VID_BASE, 11, "encode", EncodeSchema, [
  field("type", "enum"),
  withFastHooks(field("payload", "bytes", { formatRaw: true }), { text: formatPayload }),
]);
