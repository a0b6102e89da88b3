/**
 * `nmsgpcnt FILE`: counts the containers and payloads of an NMSG file, like Farsight's
 * `nmsgpcnt-fsi`, but streaming, and also through zlib, fragments and version-1 units.
 *
 * @module
 */

import { NMSG_FLAG_ZLIB } from "../src/wire/constants.ts";
import { countPayloads } from "../src/wire/container.ts";
import { NmsgFormatError } from "../src/wire/errors.ts";
import { UnitDecoder } from "../src/wire/unit_decoder.ts";
import { UnitReader } from "../src/wire/unit_reader.ts";
import { deferredZlib, loadedZlib, loadZlib } from "../src/io/_lazy_zlib.ts";
import { osReason } from "../src/io/files.ts";
import { isBrokenPipe, permissionHint, printErr, printOut } from "./_common.ts";

const USAGE = "nmsgpcnt parse an NMSG file and emit container/payload count\n" +
  "usage: nmsgpcnt file.nmsg\n";

/**
 * Runs nmsgpcnt.
 *
 * @param args Command-line arguments.
 * @returns The exit status.
 */
export async function main(args: string[]): Promise<number> {
  if (args.length !== 1) {
    await printOut(USAGE);
    return 1;
  }
  const path = args[0]!;
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path);
  } catch (e) {
    printErr(`${permissionHint(e) ?? `can't open ${path}`}\n`);
    return 1;
  }
  let containers = 0;
  let payloads = 0;
  let status = 0;
  let fault: string | undefined;
  try {
    const units = new UnitReader(file, { name: path, reuseBuffer: true });
    const decoder = new UnitDecoder({ zlib: deferredZlib, reuseBuffer: true });
    for (let u = await units.next(); u !== null; u = await units.next()) {
      if (u.flags & NMSG_FLAG_ZLIB && loadedZlib() === undefined) await loadZlib();
      try {
        const data = decoder.assemble(u.flags, u.data);
        if (data === undefined) continue;
        payloads += countPayloads(data);
        containers++;
      } catch (e) {
        throw e instanceof NmsgFormatError ? e.at(path, u.offset) : e;
      }
    }
    // Those still waiting, and those dropped to stay within the reassembly limits.
    const { pending, expired } = decoder.reassembler.stats;
    const lost = pending + expired;
    if (lost > 0) {
      fault = `nmsgpcnt: ${path}: ${lost} fragmented container(s) incomplete at end of file\n`;
      status = 1;
    }
  } catch (e) {
    if (e instanceof NmsgFormatError) fault = `nmsgpcnt: ${e.message}\n`;
    else fault = `${permissionHint(e) ?? `nmsgpcnt: ${path}: ${osReason(e)}`}\n`;
    status = 1;
  } finally {
    file.close();
  }
  await printOut(`containers:\t${containers}\npayloads:\t${payloads}\n`);
  if (fault !== undefined) printErr(fault);
  return status;
}

if (import.meta.main) {
  let status: number;
  try {
    status = await main(Deno.args);
  } catch (e) {
    if (!isBrokenPipe(e)) throw e;
    status = 0;
  }
  Deno.exit(status);
}
