// A RenderPool worker: renders packed batches of payloads with the built-in modules.

import { defaultRegistry } from "./builtin.ts";
import {
  type PlainRenderOptions,
  renderBatch,
  type RenderFormat,
  renderOptions,
  unpackPayloads,
} from "./_render_batch.ts";

/** A batch to render. */
interface Job {
  id: number;
  buf: ArrayBuffer;
  format: RenderFormat;
  options: PlainRenderOptions;
}

const scope = globalThis as unknown as {
  onmessage: ((e: MessageEvent<Job>) => void) | null;
  postMessage(message: unknown, transfer: Transferable[]): void;
};
const registry = defaultRegistry();

scope.onmessage = (e) => {
  const { id, buf, format, options } = e.data;
  try {
    const r = renderBatch(unpackPayloads(buf), registry, format, renderOptions(options));
    const bytes = r.bytes.slice();
    scope.postMessage({ id, bytes, rendered: r.rendered, error: r.error }, [bytes.buffer]);
  } catch (err) {
    scope.postMessage({ id, failure: String(err) }, []);
  }
};
