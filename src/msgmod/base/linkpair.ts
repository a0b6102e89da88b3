/**
 * base/linkpair (1:3): a link from one URL to another.
 *
 * @module
 */

import { LinkpairSchema } from "../../../gen/nmsg/base/linkpair_pb.ts";
import { builtin, field, VID_BASE } from "../_define.ts";
import type { MessageModule } from "../module.ts";

/** The base/linkpair module. */
export const linkpairModule: MessageModule = builtin(VID_BASE, 3, "linkpair", LinkpairSchema, [
  field("type", "enum"),
  field("src", "string"),
  field("dst", "string"),
  field("headers", "mlstring"),
]);
