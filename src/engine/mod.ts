/**
 * The I/O engine: inputs → filters → outputs (striped or mirrored), count and interval
 * limits, rotation, filter and statistics modules.
 *
 * @module
 */

export * from "./engine.ts";
export * from "./filter_module.ts";
export * from "./stats_module.ts";
export * from "./types.ts";
export { PluginError } from "./_plugin_loader.ts";
