/**
 * SIE/dnsdedupe (2:1): an RRset from the passive DNS deduplicator.
 *
 * @module
 */

import { DnsDedupeSchema } from "../../../gen/nmsg/sie/dnsdedupe_pb.ts";
import { builtin, field, VID_SIE } from "../_define.ts";
import {
  classField,
  nameField,
  rdataField,
  sieMessageField,
  timeField,
  typeField,
} from "../_dns_fields.ts";
import type { MessageModule } from "../module.ts";

/** The SIE/dnsdedupe module. */
export const dnsdedupeModule: MessageModule = builtin(VID_SIE, 1, "dnsdedupe", DnsDedupeSchema, [
  field("type", "enum"),
  field("count", "uint32"),
  timeField("time_first"),
  timeField("time_last"),
  timeField("zone_time_first"),
  timeField("zone_time_last"),
  field("response_ip", "ip"),
  nameField("bailiwick"),
  nameField("rrname"),
  classField("rrclass", "sie"),
  typeField("rrtype", "sie"),
  field("rrttl", "uint32"),
  rdataField(),
  sieMessageField("response"),
]);
