/**
 * base/dns (1:7): one DNS RRset, optionally with its question.
 *
 * @module
 */

import { DnsSchema } from "../../../gen/nmsg/base/dns_pb.ts";
import { builtin, field, VID_BASE } from "../_define.ts";
import { classField, nameField, rdataField, typeField } from "../_dns_fields.ts";
import type { MessageModule } from "../module.ts";

/** The base/dns module. */
export const dnsModule: MessageModule = builtin(VID_BASE, 7, "dns", DnsSchema, [
  nameField("qname"),
  classField("qclass", "base"),
  typeField("qtype", "base"),
  field("section", "uint16"),
  nameField("rrname"),
  classField("rrclass", "base"),
  typeField("rrtype", "base"),
  field("rrttl", "uint32"),
  rdataField(),
]);
