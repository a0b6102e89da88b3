/**
 * base/xml (1:10): an XML document with its type.
 *
 * @module
 */

import { XmlSchema } from "../../../gen/nmsg/base/xml_pb.ts";
import { builtin, field, VID_BASE } from "../_define.ts";
import type { MessageModule } from "../module.ts";

/** The base/xml module. */
export const xmlModule: MessageModule = builtin(VID_BASE, 10, "xml", XmlSchema, [
  field("xmltype", "string"),
  field("xmlpayload", "bytes"),
]);
