/**
 * base/ipconn (1:5): an IP connection (protocol, addresses and ports).
 *
 * @module
 */

import { IPConnSchema } from "../../../gen/nmsg/base/ipconn_pb.ts";
import { builtin, field, VID_BASE } from "../_define.ts";
import type { MessageModule } from "../module.ts";

/** The base/ipconn module. */
export const ipconnModule: MessageModule = builtin(VID_BASE, 5, "ipconn", IPConnSchema, [
  field("proto", "uint16"),
  field("srcip", "ip"),
  field("srcport", "uint16"),
  field("dstip", "ip"),
  field("dstport", "uint16"),
]);
