/**
 * base/dnsobs (1:14): a DNS observation summarised by a sensor.
 *
 * @module
 */

import { DnsObsSchema } from "../../../gen/nmsg/base/dnsobs_pb.ts";
import { builtin, field, VID_BASE } from "../_define.ts";
import { classField, messageFields, nameField, rcodeField, typeField } from "../_dns_fields.ts";
import { strtoull } from "../_cparse.ts";
import { NmsgParseError } from "../errors.ts";
import type { MessageModule } from "../module.ts";

/** The base/dnsobs module. */
export const dnsobsModule: MessageModule = builtin(VID_BASE, 14, "dnsobs", DnsObsSchema, [
  field("time", "uint64"),
  field("response_ip", "ip"),
  nameField("qname"),
  typeField("qtype", "base"),
  classField("qclass", "base"),
  rcodeField("rcode"),
  ...messageFields("response", "response_json"),
  nameField("query_zone"),
  field("geoid", "bytes"),
  field("sensor_id", "uint32", {
    print: (_m, v, f, endline) => `${f.name}: ${(v as number).toString(16)}${endline}`,
    format: (_m, v) => (v as number).toString(16),
    parse: (_m, text, f) => {
      // strtoul(…, 16) stored in 32 bits; the all-ones value doubles as the error mark.
      const v = strtoull(text === "" ? "0" : text, 16);
      const n = v === undefined ? undefined : Number(BigInt.asUintN(32, v));
      if (n === undefined || n === 0xffffffff) {
        throw new NmsgParseError(`field ${f.name}: invalid sensor id ${text}`);
      }
      return n;
    },
  }),
]);
