// Building the built-in modules from their generated descriptors.

import type { DescMessage } from "@bufbuild/protobuf";
import { schemaFromDesc } from "./_descriptor.ts";
import { MessageModule } from "./module.ts";
import type { NmsgMessage } from "./message.ts";
import type { FieldDef, FieldType } from "./types.ts";

/** Vendor id of the `base` modules. */
export const VID_BASE = 1;
/** Vendor id of the `SIE` modules. */
export const VID_SIE = 2;

/** A built-in module: vendor `base` (1) or `SIE` (2). */
export function builtin(
  vid: typeof VID_BASE | typeof VID_SIE,
  msgtype: number,
  mname: string,
  desc: DescMessage,
  fields: FieldDef[],
  load?: (msg: NmsgMessage) => unknown,
): MessageModule {
  return new MessageModule({
    vid,
    vname: vid === VID_BASE ? "base" : "SIE",
    msgtype,
    mname,
    schema: schemaFromDesc(desc),
    fields,
    ...(load ? { load } : {}),
  });
}

/** A plain field table entry. */
export function field(name: string, type: FieldType, extra: Partial<FieldDef> = {}): FieldDef {
  return { name, type, ...extra };
}
