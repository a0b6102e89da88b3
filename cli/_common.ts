// Helpers shared by the three CLIs: writing to stdio, and turning errors into one line.

const encoder = new TextEncoder();

/** Writes all of `data` to a Deno writer (which may write partially). */
export async function writeAll(
  w: { write(p: Uint8Array): Promise<number> },
  data: Uint8Array,
): Promise<void> {
  for (let off = 0; off < data.length;) off += await w.write(data.subarray(off));
}

/** Writes text to stdout. */
export function printOut(text: string): Promise<void> {
  return writeAll(Deno.stdout, encoder.encode(text));
}

/** Writes text to stderr (synchronously, so it lands before an exit). */
export function printErr(text: string): void {
  const data = encoder.encode(text);
  for (let off = 0; off < data.length;) off += Deno.stderr.writeSync(data.subarray(off));
}

// Deno's message names the permission ("Requires read access to "x", run again with the
// --allow-read flag"); we turn it into the exact flag, scoped to what was asked for.
const CAPABILITY = /^Requires (\w+) access to "?([^",]*)"?/;

/**
 * One line for a missing permission, naming the flag to add, or `undefined` if `e` is not a
 * permission error.
 */
export function permissionHint(e: unknown): string | undefined {
  if (!(e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied)) {
    return undefined;
  }
  if (e instanceof Deno.errors.PermissionDenied && !/Requires/.test(e.message)) return undefined;
  const m = CAPABILITY.exec(e.message);
  if (m === null) return `missing permission: ${e.message}`;
  const [, kind, what] = m;
  const flag = `--allow-${kind}${what ? `=${what}` : ""}`;
  return `missing permission: ${kind} access to ${
    what ? `"${what}"` : "this resource"
  }; run with ${flag}`;
}

/** True for the error a write to a closed pipe (`| head`) raises. */
export function isBrokenPipe(e: unknown): boolean {
  return e instanceof Deno.errors.BrokenPipe;
}
