/**
 * base/email (1:2): a mail seen by a spam trap or rejected by a mail server.
 *
 * @module
 */

import { EmailSchema } from "../../../gen/nmsg/base/email_pb.ts";
import { builtin, field, VID_BASE } from "../_define.ts";
import type { MessageModule } from "../module.ts";

/** The base/email module. */
export const emailModule: MessageModule = builtin(VID_BASE, 2, "email", EmailSchema, [
  field("type", "enum"),
  field("headers", "mlstring"),
  field("srcip", "ip"),
  field("srchost", "string"),
  field("helo", "string"),
  field("from", "string"),
  field("rcpt", "string"),
  field("bodyurl", "string"),
  field("body", "mlstring"),
]);
