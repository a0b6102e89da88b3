/**
 * base/encode (1:11): an opaque payload in a named encoding (text, JSON, YAML, MessagePack,
 * XML). In JSON output the payload is an object with the base64 bytes and, for textual
 * encodings, the value itself.
 *
 * @module
 */

import { EncodeSchema } from "../../../gen/nmsg/base/encode_pb.ts";
import { builtin, field, VID_BASE } from "../_define.ts";
import { bytesText, jsonQuote } from "../_text.ts";
import type { MessageModule } from "../module.ts";
import type { NmsgMessage } from "../message.ts";
import type { RawValue } from "../types.ts";

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

/** `{"val":…,"b64":"…"}`: `val` verbatim for valid JSON, as a string for text encodings. */
function formatPayload(msg: NmsgMessage, v: RawValue): string {
  const data = v as Uint8Array;
  const type = msg.raw("type") as number;
  const b64 = `"b64":"${data.toBase64()}"}`;
  if (type === MSGPACK) return "{" + b64;
  const text = bytesText(data);
  if (type === JSON_TYPE) return isJson(text) ? `{"val":${text},${b64}` : "{" + b64;
  // libnmsg crashes on an empty payload here (golden README, reference bug 6).
  return `{"val":${jsonQuote(text)},${b64}`;
}

/** The base/encode module. */
export const encodeModule: MessageModule = builtin(VID_BASE, 11, "encode", EncodeSchema, [
  field("type", "enum"),
  field("payload", "bytes", { formatRaw: true, format: formatPayload }),
]);
