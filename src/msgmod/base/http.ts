/**
 * base/http (1:4): an HTTP request seen by a sinkhole, with p0f fingerprint data.
 *
 * @module
 */

import { HttpSchema } from "../../../gen/nmsg/base/http_pb.ts";
import { builtin, field, VID_BASE } from "../_define.ts";
import type { MessageModule } from "../module.ts";

/** The base/http module. */
export const httpModule: MessageModule = builtin(VID_BASE, 4, "http", HttpSchema, [
  field("type", "enum"),
  field("srcip", "ip"),
  field("srchost", "string"),
  field("srcport", "uint16"),
  field("dstip", "ip"),
  field("dstport", "uint16"),
  field("request", "mlstring"),
  field("p0f_genre", "string"),
  field("p0f_detail", "string"),
  field("p0f_dist", "int16"),
  field("p0f_link", "string"),
  field("p0f_tos", "string"),
  field("p0f_fw", "uint16"),
  field("p0f_nat", "uint16"),
  field("p0f_real", "uint16"),
  field("p0f_score", "int16"),
  field("p0f_mflags", "uint16"),
  field("p0f_uptime", "int32"),
]);
