// The message the renderers read a payload through: one per module, re-pointed at each
// payload, so that rendering a stream allocates no message objects or field arrays.

import type { Payload } from "../wire/payload.ts";
import { attachedMessage } from "./_attached.ts";
import { NmsgMessage } from "./message.ts";
import type { MessageModule } from "./module.ts";
import type { ModuleRegistry } from "./registry.ts";

const reusable = new WeakMap<MessageModule, NmsgMessage>();

/** The payload as a message of its module, valid until the next call; undefined without one. */
export function renderMessage(p: Payload, registry: ModuleRegistry): NmsgMessage | undefined {
  const known = attachedMessage(p);
  if (known !== undefined) return known;
  const module = registry.lookup(p.vid, p.msgtype);
  if (module === undefined) return undefined;
  let msg = reusable.get(module);
  if (msg === undefined) reusable.set(module, msg = new NmsgMessage(module, p));
  else msg.retarget(p);
  return msg;
}
