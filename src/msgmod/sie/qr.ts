/**
 * SIE/qr (2:3): a query or response of a query service.
 *
 * @module
 */

import { QRSchema } from "../../../gen/nmsg/sie/qr_pb.ts";
import { builtin, field, VID_SIE } from "../_define.ts";
import type { MessageModule } from "../module.ts";

/** The SIE/qr module. */
export const qrModule: MessageModule = builtin(VID_SIE, 3, "qr", QRSchema, [
  field("type", "enum"),
  field("text", "string"),
  field("num_response", "uint32"),
  field("more_available", "uint32"),
]);
