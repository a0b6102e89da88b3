// Payloads whose rendering must use an already decoded message: libnmsg renders messages
// read from JSON input from memory, not from their serialized bytes.

import type { Payload } from "../wire/payload.ts";
import type { NmsgMessage } from "./message.ts";

const attached = new WeakMap<Payload, NmsgMessage>();
// Payloads read from NMSG input are never attached: skip the lookup until one is.
let any = false;

/** Remembers `msg` as the decoded form of `p`. */
export function attachMessage(p: Payload, msg: NmsgMessage): void {
  attached.set(p, msg);
  any = true;
}

/** The message remembered for `p`, if any. */
export function attachedMessage(p: Payload): NmsgMessage | undefined {
  return any ? attached.get(p) : undefined;
}
