/**
 * base/pkt (1:8): one captured link-layer frame.
 *
 * @module
 */

import { PktSchema } from "../../../gen/nmsg/base/pkt_pb.ts";
import { builtin, field, VID_BASE } from "../_define.ts";
import type { MessageModule } from "../module.ts";

/** The base/pkt module. */
export const pktModule: MessageModule = builtin(VID_BASE, 8, "pkt", PktSchema, [
  field("len_frame", "uint32"),
  field("payload", "bytes"),
]);
