/**
 * SIE/delay (2:4): how long a server took to answer.
 *
 * @module
 */

import { DelaySchema } from "../../../gen/nmsg/sie/delay_pb.ts";
import { builtin, field, VID_SIE } from "../_define.ts";
import type { MessageModule } from "../module.ts";

/** The SIE/delay module. */
export const delayModule: MessageModule = builtin(VID_SIE, 4, "delay", DelaySchema, [
  field("query_ip", "ip"),
  field("response_ip", "ip"),
  field("delay", "double"),
  field("response_time_sec", "int64"),
]);
