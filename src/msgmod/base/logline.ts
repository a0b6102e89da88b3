/**
 * base/logline (1:6): one log line with a category.
 *
 * @module
 */

import { LogLineSchema } from "../../../gen/nmsg/base/logline_pb.ts";
import { builtin, field, VID_BASE } from "../_define.ts";
import type { MessageModule } from "../module.ts";

/** The base/logline module. */
export const loglineModule: MessageModule = builtin(VID_BASE, 6, "logline", LogLineSchema, [
  field("category", "string"),
  field("message", "string"),
]);
