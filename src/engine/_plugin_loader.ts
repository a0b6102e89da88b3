// Loading nmsgtool's run-time modules (`-F` filters, `-M` statistics): a built-in by short
// name, or a TypeScript/JavaScript module by path, as the C tool loads a shared object by
// path when the name starts with `/` or `.`.

/**
 * A filter or statistics module could not be loaded or refused its parameter.
 *
 * @example
 * ```ts
 * import { loadFilter, PluginError } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * await assert.rejects(loadFilter("sample"), PluginError);
 * ```
 */
export class PluginError extends Error {
  /** Always `"PluginError"`. */
  override name = "PluginError";
}

/** `name[,param]` split as the C tool splits it (text after the first comma is the param). */
function splitModuleSpec(spec: string): { name: string; param: string | undefined } {
  const trimmed = spec.replace(/^,+/, "");
  const comma = trimmed.indexOf(",");
  if (comma < 0) return { name: trimmed, param: undefined };
  const param = trimmed.slice(comma + 1);
  return { name: trimmed.slice(0, comma), param: param === "" ? undefined : param };
}

/**
 * Finds a module's `init` function: a built-in for a short name, else the `init` export
 * (or `default.init`) of the module file at `name`.
 *
 * @param name Short name or path (`/…`, `./…`, `../…`).
 * @param builtins Built-in modules by short name.
 * @param what What kind of module, for messages (`filter`, `stats`).
 * @returns The init function.
 * @throws {PluginError} If there is no such module or it has no `init`.
 */
async function findModuleInit<T>(
  name: string,
  builtins: Record<string, (param: string | undefined) => T | Promise<T>>,
  what: string,
): Promise<(param: string | undefined) => T | Promise<T>> {
  if (!name.startsWith("/") && !name.startsWith(".")) {
    const builtin = builtins[name];
    if (builtin === undefined) {
      throw new PluginError(
        `unknown ${what} module '${name}' (built in: ${
          Object.keys(builtins).join(", ")
        }; give a path to load a module file)`,
      );
    }
    return builtin;
  }
  const url = new URL(name, `file://${Deno.cwd()}/`).href;
  let mod: Record<string, unknown>;
  try {
    mod = await import(url);
  } catch (e) {
    if (e instanceof Deno.errors.NotCapable) throw e;
    throw new PluginError(
      `unable to open ${what} module ${name}: ${e instanceof Error ? e.message : e}`,
    );
  }
  const init = typeof mod.init === "function"
    ? mod.init
    : (mod.default as { init?: unknown } | undefined)?.init;
  if (typeof init !== "function") {
    throw new PluginError(`${what} module ${name} does not export an init function`);
  }
  return init as (param: string | undefined) => T | Promise<T>;
}

/**
 * Finds the module of an `-F`/`-M` argument (`name[,param]`) and initialises it with the
 * param; errors of the init function are reported as the module's.
 */
export async function loadPlugin<T>(
  spec: string,
  builtins: Record<string, (param: string | undefined) => T | Promise<T>>,
  what: "filter" | "stats",
  check: { isModule: (m: T) => boolean; aModule: string },
): Promise<T> {
  const { name, param } = splitModuleSpec(spec);
  const init = await findModuleInit(name, builtins, what);
  let mod: T;
  try {
    mod = await init(param);
  } catch (e) {
    if (e instanceof Deno.errors.NotCapable) throw e;
    throw new PluginError(`${what} module ${name}: ${e instanceof Error ? e.message : e}`);
  }
  if (!check.isModule(mod)) {
    throw new PluginError(`${what} module ${name}: init did not return ${check.aModule}`);
  }
  return mod;
}
