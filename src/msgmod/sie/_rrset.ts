/**
 * The RRset fields dnsdedupe and newdomain share, in their field-table order.
 *
 * @module
 */

import { field } from "../_define.ts";
import {
  classField,
  nameField,
  rdataField,
  sieMessageField,
  timeField,
  typeField,
} from "../_dns_fields.ts";
import type { FieldDef } from "../types.ts";

/** type, count, first/last times, response_ip, bailiwick, the RRset and the response. */
export const SIE_RRSET_FIELDS: readonly FieldDef[] = [
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
];
