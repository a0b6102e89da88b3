/**
 * SIE/dnsnx (2:6): a query that got NXDOMAIN.
 *
 * @module
 */

import { DnsNXSchema } from "../../../gen/nmsg/sie/dnsnx_pb.ts";
import { builtin, field, VID_SIE } from "../_define.ts";
import { classField, nameField, typeField } from "../_dns_fields.ts";
import type { MessageModule } from "../module.ts";

/** The SIE/dnsnx module. */
export const dnsnxModule: MessageModule = builtin(VID_SIE, 6, "dnsnx", DnsNXSchema, [
  nameField("qname"),
  classField("qclass", "sie"),
  typeField("qtype", "sie"),
  field("response_ip", "ip"),
  nameField("soa_rrname"),
  field("response_time_sec", "int64", { noprint: true }),
  field("response_time_nsec", "int32", { noprint: true }),
]);
