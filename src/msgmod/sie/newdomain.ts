/**
 * SIE/newdomain (2:5): a domain, name or RRset seen for the first time.
 *
 * @module
 */

import { NewDomainSchema } from "../../../gen/nmsg/sie/newdomain_pb.ts";
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

/** The SIE/newdomain module. */
export const newdomainModule: MessageModule = builtin(VID_SIE, 5, "newdomain", NewDomainSchema, [
  nameField("domain"),
  timeField("time_seen"),
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
  field("keys", "string"),
  field("new_domain", "bool"),
  field("new_rrname", "bool"),
  field("new_rrtype", "bool"),
  field("new_rr", "bool"),
  field("new_rrset", "bool"),
]);
