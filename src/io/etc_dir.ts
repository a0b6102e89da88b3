/**
 * Where libnmsg's configuration files live.
 *
 * @module
 */

/**
 * libnmsg's sysconfdir (the Debian packages' `/etc`): the alias files `nmsg.opalias`,
 * `nmsg.gralias` and `nmsg.chalias`, and `nmsg.kafkacfg`, are read from here when no
 * environment variable names them.
 *
 * @example
 * ```ts
 * import { NMSG_ETCDIR } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * assert.equal(`${NMSG_ETCDIR}/nmsg.opalias`, "/etc/nmsg.opalias");
 * ```
 */
export const NMSG_ETCDIR = "/etc";
