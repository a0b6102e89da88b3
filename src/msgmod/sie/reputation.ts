/**
 * SIE/reputation (2:2): a reputation tag for an address, host, domain, name server or URI.
 *
 * @module
 */

import { ReputationSchema } from "../../../gen/nmsg/sie/reputation_pb.ts";
import { builtin, field, VID_SIE } from "../_define.ts";
import type { MessageModule } from "../module.ts";

/** The SIE/reputation module. */
export const reputationModule: MessageModule = builtin(
  VID_SIE,
  2,
  "reputation",
  ReputationSchema,
  [
    field("type", "enum"),
    field("tag", "string"),
    field("value", "string"),
    field("address", "ip"),
    field("netmask", "ip"),
    field("host", "string"),
    field("domain", "string"),
    field("nameserver", "string"),
    field("uri", "string"),
    field("port", "uint32"),
  ],
);
