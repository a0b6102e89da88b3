// Building nmsgtool's presentation and JSON inputs and outputs. Kept apart from
// _nmsgtool_io.ts so that the message modules are loaded only when the command line uses
// them (loading them costs more than a small NMSG-only run).

import { openForReading, openForWriting } from "../src/io/files.ts";
import { JsonInput } from "../src/io/json_input.ts";
import { PresInput } from "../src/io/pres_input.ts";
import { createJsonOutput, createPresOutput } from "../src/io/text_output.ts";
import { defaultRegistry, type ModuleRegistry } from "../src/msgmod/mod.ts";
import { fileOutput, type ToolContext } from "./_nmsgtool_io.ts";

/** The built-in message modules. */
export function loadRegistry(): ModuleRegistry {
  return defaultRegistry();
}

/** `-f FILE`: presentation text of the `-V/-T` message type. */
export function addPresInput(ctx: ToolContext, path: string): void {
  const module = ctx.registry!.lookup(ctx.vid, ctx.msgtype)!;
  ctx.inputs.push(new PresInput(path, openForReading(path), module));
  ctx.log(2, `nmsgtool: nmsg pres input: ${path}`);
}

/** `-o FILE`: presentation text (or `-` for stdout). */
export function addPresOutput(ctx: ToolContext, path: string): void {
  addTextOutput(ctx, path, "pres", "", createPresOutput);
}

/** `-J FILE`: JSON lines (or `-` for stdout). */
export function addJsonOutput(ctx: ToolContext, path: string): void {
  addTextOutput(ctx, path, "json", ".json", createJsonOutput);
}

/** A presentation or JSON output file, rotating with `-k`. */
function addTextOutput(
  ctx: ToolContext,
  path: string,
  kind: "pres" | "json",
  suffix: string,
  create: typeof createPresOutput,
): void {
  const options = {
    ...ctx.stamp,
    endline: ctx.endline,
    aliases: ctx.aliases,
    unbuffered: ctx.args.unbuffered,
  };
  const open = (p: string) => create(p, openForWriting(p), ctx.registry!, options);
  ctx.outputs.push(fileOutput(ctx, path, kind, suffix, open));
  ctx.log(2, `nmsgtool: nmsg ${kind} output: ${path}`);
}

/** `-j FILE`: JSON lines (or `-` for stdin). */
export function addJsonInput(ctx: ToolContext, path: string): void {
  ctx.inputs.push(
    new JsonInput(path, openForReading(path), ctx.registry!, {
      aliases: ctx.aliases,
      log: ctx.log,
    }),
  );
  ctx.log(2, `nmsgtool: nmsg json input: ${path}`);
}
