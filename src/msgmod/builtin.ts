/**
 * The message modules nmsgtool ships: vendor `base` (1) and vendor `SIE` (2).
 *
 * @module
 */

import { dnsModule } from "./base/dns.ts";
import { dnsobsModule } from "./base/dnsobs.ts";
import { dnsqrModule } from "./base/dnsqr.ts";
import { dnstapModule } from "./base/dnstap.ts";
import { emailModule } from "./base/email.ts";
import { encodeModule } from "./base/encode.ts";
import { httpModule } from "./base/http.ts";
import { ipconnModule } from "./base/ipconn.ts";
import { linkpairModule } from "./base/linkpair.ts";
import { loglineModule } from "./base/logline.ts";
import { ncapModule } from "./base/ncap.ts";
import { packetModule } from "./base/packet.ts";
import { pktModule } from "./base/pkt.ts";
import { xmlModule } from "./base/xml.ts";
import type { MessageModule } from "./module.ts";
import { ModuleRegistry } from "./registry.ts";
import { delayModule } from "./sie/delay.ts";
import { dnsdedupeModule } from "./sie/dnsdedupe.ts";
import { dnsnxModule } from "./sie/dnsnx.ts";
import { newdomainModule } from "./sie/newdomain.ts";
import { qrModule } from "./sie/qr.ts";
import { reputationModule } from "./sie/reputation.ts";

/**
 * The 20 built-in modules: base ncap, email, linkpair, http, ipconn, logline, dns, pkt,
 * dnsqr, xml, encode, packet, dnstap, dnsobs (1:1–1:14) and SIE dnsdedupe, reputation, qr,
 * delay, newdomain, dnsnx (2:1–2:6).
 *
 * @example
 * ```ts
 * import { BUILTIN_MODULES } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * assert.equal(BUILTIN_MODULES.length, 20);
 * assert.equal(BUILTIN_MODULES[8]?.mname, "dnsqr");
 * ```
 */
export const BUILTIN_MODULES: readonly MessageModule[] = [
  ncapModule,
  emailModule,
  linkpairModule,
  httpModule,
  ipconnModule,
  loglineModule,
  dnsModule,
  pktModule,
  dnsqrModule,
  xmlModule,
  encodeModule,
  packetModule,
  dnstapModule,
  dnsobsModule,
  dnsdedupeModule,
  reputationModule,
  qrModule,
  delayModule,
  newdomainModule,
  dnsnxModule,
];

/**
 * A new registry holding the built-in modules; register your own modules on it.
 *
 * @returns The registry.
 *
 * @example
 * ```ts
 * import { defaultRegistry } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * assert.equal(defaultRegistry().lookupByName("SIE", "newdomain")?.msgtype, 5);
 * ```
 */
export function defaultRegistry(): ModuleRegistry {
  return new ModuleRegistry(BUILTIN_MODULES);
}
