/**
 * SIE/dnsdedupe (2:1): an RRset from the passive DNS deduplicator.
 *
 * @module
 */

import { DnsDedupeSchema } from "../../../gen/nmsg/sie/dnsdedupe_pb.ts";
import { builtin, VID_SIE } from "../_define.ts";
import { SIE_RRSET_FIELDS } from "./_rrset.ts";
import type { MessageModule } from "../module.ts";

/** The SIE/dnsdedupe module. */
export const dnsdedupeModule: MessageModule = builtin(VID_SIE, 1, "dnsdedupe", DnsDedupeSchema, [
  ...SIE_RRSET_FIELDS,
]);
