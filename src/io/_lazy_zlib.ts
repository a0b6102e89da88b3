// node:zlib takes ~20 ms to load, a tenth of a small run: it is loaded on first use only.

import type { ZlibCodec } from "../wire/zlib.ts";

let codec: ZlibCodec | undefined;

/** The zlib codec once {@linkcode loadZlib} has resolved, else undefined. */
export function loadedZlib(): ZlibCodec | undefined {
  return codec;
}

/** Loads node:zlib (once) and returns the codec. */
export async function loadZlib(): Promise<ZlibCodec> {
  codec ??= (await import("./zlib_node.ts")).nodeZlib;
  return codec;
}

/**
 * A codec that forwards to node:zlib; valid only after {@linkcode loadZlib} has resolved
 * (callers await it before handing over the first compressed unit).
 */
export const deferredZlib: ZlibCodec = {
  inflate: (stream, size, into) => codec!.inflate(stream, size, into),
  deflate: (data, into) => codec!.deflate(data, into),
};
