/**
 * rdata text → wire as `wdns_str_to_rdata` parses it (the JSON input of `rdata` fields).
 *
 * @module
 */

import { DnsUnsupportedError } from "./errors.ts";

/**
 * Parses rdata text the way `wdns_str_to_rdata` does for the JSON input of `rdata` fields.
 * Types without a wdns layout take the generic form `\# <len> <hex>`; an IN-only type in
 * another class gives empty rdata; otherwise fields are read in layout order separated by
 * whitespace, missing trailing fields give shorter rdata and extra trailing text is ignored.
 *
 * NOT YET IMPLEMENTED in this commit (the signature is final); it throws for now.
 *
 * @param text The rdata text.
 * @param rrtype The RR type (taken modulo 2^16).
 * @param rrclass The RR class (taken modulo 2^16).
 * @returns The rdata in wire form.
 * @throws {DnsTextError} Where wdns reports a parse error (the JSON line is skipped).
 * @throws {DnsUnsupportedError} Where wdns cannot parse the type at all (OPT): nmsgtool aborts.
 */
export function rdataFromText(text: string, rrtype: number, rrclass: number): Uint8Array {
  throw new DnsUnsupportedError(
    `rdataFromText is not implemented yet (${text}, ${rrtype}, ${rrclass})`,
  );
}
