/**
 * base/packet (1:12): one IP packet, link-layer header removed.
 *
 * @module
 */

import { PacketSchema } from "../../../gen/nmsg/base/packet_pb.ts";
import { builtin, field, VID_BASE } from "../_define.ts";
import type { MessageModule } from "../module.ts";

/** The base/packet module. */
export const packetModule: MessageModule = builtin(VID_BASE, 12, "packet", PacketSchema, [
  field("payload_type", "enum"),
  field("payload", "bytes"),
]);
