/**
 * The DNS text layer: everything the NMSG message modules render or parse the way
 * Farsight's C toolkit does through wdns 0.12.0 (names, RR types/classes/rcodes, rdata,
 * whole messages as dig-like text and as JSON objects, SIE time fields), plus the small
 * encoders they share (IP text, base64). Pure TypeScript, no Deno APIs.
 *
 * @module
 */

export { base64Decode, base64Encode } from "./base64.ts";
export { DnsTextError, DnsUnsupportedError } from "./errors.ts";
export { ipFromText, ipToText } from "./ip.ts";
export { type DnsEdns, type DnsMessage, type DnsRecord, parseMessage } from "./message.ts";
export { messageToJson } from "./message_to_json.ts";
export { messageToPres, messageToText } from "./message_to_text.ts";
export {
  MAX_NAME_LENGTH,
  nameFieldToText,
  nameFromText,
  type NameFromTextOptions,
  nameToText,
  skipName,
} from "./name.ts";
export { rdataFromText } from "./rdata_from_text.ts";
export { rdataToText } from "./rdata_to_text.ts";
export {
  type DnsFlavor,
  opcodeName,
  rcodeFromName,
  rcodeFromText,
  rcodeName,
  rcodeToJson,
  rcodeToPres,
  rrclassFromName,
  rrclassFromText,
  rrclassName,
  rrclassToJson,
  rrclassToPres,
  rrclassToText,
  rrtypeFromName,
  rrtypeFromText,
  rrtypeName,
  rrtypeToPres,
  rrtypeToText,
} from "./tables.ts";
export { sieTimeFromText, sieTimeToText } from "./time.ts";
