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

function textOptions(ctx: ToolContext) {
  return {
    ...ctx.stamp,
    endline: ctx.endline,
    aliases: ctx.aliases,
    unbuffered: ctx.args.unbuffered,
  };
}

/** `-o FILE`: presentation text (or `-` for stdout). */
export function addPresOutput(ctx: ToolContext, path: string): void {
  const options = textOptions(ctx);
  ctx.outputs.push(
    fileOutput(
      ctx,
      path,
      "pres",
      "",
      (p) => createPresOutput(p, openForWriting(p), ctx.registry!, options),
    ),
  );
  ctx.log(2, `nmsgtool: nmsg pres output: ${path}`);
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

/** `-J FILE`: JSON lines (or `-` for stdout). */
export function addJsonOutput(ctx: ToolContext, path: string): void {
  const options = textOptions(ctx);
  ctx.outputs.push(
    fileOutput(
      ctx,
      path,
      "json",
      ".json",
      (p) => createJsonOutput(p, openForWriting(p), ctx.registry!, options),
    ),
  );
  ctx.log(2, `nmsgtool: nmsg json output: ${path}`);
}
