/**
 * Message modules: the 20 base and SIE message types, a registry to look them up and add
 * your own, typed field access, and the presentation and JSON codecs, all rendering
 * exactly as the C `nmsgtool` does. Pure TypeScript, no Deno APIs.
 *
 * @module
 */

export * from "./aliases.ts";
export * from "./builtin.ts";
export * from "./encode_text.ts";
export * from "./errors.ts";
export * from "./json.ts";
export * from "./json_parser.ts";
export * from "./message.ts";
export * from "./module.ts";
export * from "./presentation.ts";
export * from "./presentation_parser.ts";
export * from "./registry.ts";
export * from "./render_options.ts";
export * from "./types.ts";
