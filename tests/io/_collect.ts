// Reading a test's payloads from an input that waits for them (UDP, ZeroMQ, Kafka).

import type { PayloadBatch } from "../../src/engine/types.ts";
import type { Payload } from "../../src/wire/payload.ts";

/**
 * Reads until `count` payloads have arrived, or `timeoutMs` passes (then the input is
 * closed, which ends a pending read). Payload bytes are copied, since inputs reuse their
 * buffers.
 *
 * @param input The input.
 * @param count How many payloads to wait for.
 * @param opts `keep`: which payloads count (default all); `timeoutMs`: default 30 s.
 */
export async function collect(
  input: { read(): Promise<PayloadBatch | null>; close(): unknown },
  count: number,
  opts: { keep?: (p: Payload) => boolean; timeoutMs?: number } = {},
): Promise<Payload[]> {
  const out: Payload[] = [];
  const timer = setTimeout(() => input.close(), opts.timeoutMs ?? 30000);
  try {
    while (out.length < count) {
      const batch = await input.read();
      if (batch === null) break;
      for (const p of batch.payloads) {
        if (opts.keep?.(p) === false) continue;
        out.push(p.payload === undefined ? { ...p } : { ...p, payload: p.payload.slice() });
      }
    }
  } finally {
    clearTimeout(timer);
  }
  return out;
}
