// A write buffer in front of a file or stdout, shared by the NMSG, presentation and JSON
// outputs. Writes are synchronous, like the C tool's write(2) and stdio: a full pipe blocks
// the writer, nothing piles up in memory, and there is no promise per record.

import type { WritableFile } from "./files.ts";

/** Buffers bytes for one file; `flush` hands them to the operating system. */
export class ByteSink {
  readonly #file: WritableFile;
  readonly #buf: Uint8Array;
  #pos = 0;
  #closed = false;

  /**
   * @param file Where the bytes go.
   * @param size Buffer size.
   */
  constructor(file: WritableFile, size: number = 1 << 20) {
    this.#file = file;
    this.#buf = new Uint8Array(size);
  }

  /** Appends bytes (copied or written at once, so the caller may reuse them). */
  write(data: Uint8Array): void {
    // Large writes (whole NMSG containers) go out directly: copying them gains nothing.
    if (data.length >= this.#buf.length >> 1) {
      this.flush();
      this.#writeAll(data);
      return;
    }
    if (data.length > this.#buf.length - this.#pos) this.flush();
    this.#buf.set(data, this.#pos);
    this.#pos += data.length;
  }

  /** Writes out everything buffered. */
  flush(): void {
    if (this.#pos === 0) return;
    const n = this.#pos;
    this.#pos = 0;
    this.#writeAll(this.#buf.subarray(0, n));
  }

  /** Flushes and closes the file. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.flush();
    } finally {
      this.#file.close();
    }
  }

  #writeAll(data: Uint8Array): void {
    for (let off = 0; off < data.length;) off += this.#file.writeSync(data.subarray(off));
  }
}
