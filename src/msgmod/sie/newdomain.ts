/**
 * SIE/newdomain (2:5): a domain, name or RRset seen for the first time.
 *
 * @module
 */

import { NewDomainSchema } from "../../../gen/nmsg/sie/newdomain_pb.ts";
import { builtin, field, VID_SIE } from "../_define.ts";
import { nameField, timeField } from "../_dns_fields.ts";
import { SIE_RRSET_FIELDS } from "./_rrset.ts";
import type { MessageModule } from "../module.ts";

/** The SIE/newdomain module. */
export const newdomainModule: MessageModule = builtin(VID_SIE, 5, "newdomain", NewDomainSchema, [
  nameField("domain"),
  timeField("time_seen"),
  ...SIE_RRSET_FIELDS,
  field("keys", "string"),
  field("new_domain", "bool"),
  field("new_rrname", "bool"),
  field("new_rrtype", "bool"),
  field("new_rr", "bool"),
  field("new_rrset", "bool"),
]);
