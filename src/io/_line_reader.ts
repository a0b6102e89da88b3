// Reading a text input (JSON lines, presentation) from a file or stdin in large chunks,
// handing out whole lines. Text is byte-faithful: bytes that are not valid UTF-8 become
// the lone surrogates U+DC80–U+DCFF, which the message codecs turn back into the same bytes.

import { bytesText } from "../msgmod/_text.ts";
import type { ReadableFile } from "./files.ts";

const CHUNK = 1 << 20;
const BATCH_BYTES = 16 << 10;
const NEWLINE = 0x0a;

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** The lines of `bytes` (split at newlines), decoded byte-faithfully. */
function decodeLines(bytes: Uint8Array): string[] {
  try {
    return utf8.decode(bytes).split("\n");
  } catch {
    const lines: string[] = [];
    for (let start = 0; start <= bytes.length;) {
      let end = bytes.indexOf(NEWLINE, start);
      if (end < 0) end = bytes.length;
      const line = bytes.subarray(start, end);
      try {
        lines.push(utf8.decode(line));
      } catch {
        lines.push(bytesText(line));
      }
      start = end + 1;
    }
    return lines;
  }
}

/** A line longer than the reader accepts. */
export class LineTooLongError extends Error {
  /** Always `"LineTooLongError"`. */
  override name = "LineTooLongError";
}

/**
 * Splits a byte stream into lines, read a chunk at a time and handed out about 16 KiB of
 * them at a time.
 */
export class LineReader {
  readonly #file: ReadableFile;
  readonly #maxLine: number;
  // Never more than maxLine + 1 bytes: a longer line can then never be found whole with
  // its newline, whatever sizes the reads come in.
  #buf: Uint8Array;
  #start = 0;
  #end = 0;
  // Bytes from #start known to hold no newline: each read scans only what it added, or a
  // long line arriving in small reads (a pipe) would be scanned again for every read.
  #scanned = 0;
  #eof = false;
  /** The number of lines handed out so far. */
  lineCount = 0;
  /** After the end: the last line if it had no newline (undefined if none). */
  tail: string | undefined;

  /**
   * @param file Where the text comes from.
   * @param maxLine The longest line accepted, in bytes.
   */
  constructor(file: ReadableFile, maxLine: number = 64 << 20) {
    this.#file = file;
    this.#maxLine = maxLine;
    this.#buf = new Uint8Array(Math.min(CHUNK, maxLine + 1));
  }

  /**
   * Reads the next lines (without their newlines).
   *
   * @returns One or more whole lines, or null at the end of the input.
   * @throws {LineTooLongError} If a line exceeds the limit.
   */
  async next(): Promise<string[] | null> {
    for (;;) {
      const data = this.#buf.subarray(0, this.#end);
      let last = data.indexOf(NEWLINE, this.#start + this.#scanned);
      if (last >= 0) {
        this.#scanned = 0;
        // Lines are decoded together (one call is much cheaper than one per line), but
        // not a whole chunk: a chunk-sized string would outlive its lines and swell the heap.
        const stop = this.#start + BATCH_BYTES;
        for (let nl = last; last < stop && nl >= 0;) {
          nl = data.indexOf(NEWLINE, last + 1);
          if (nl >= 0) last = nl;
        }
        const lines = decodeLines(data.subarray(this.#start, last));
        this.#start = last + 1;
        this.lineCount += lines.length;
        return lines;
      }
      if (this.#eof) {
        if (this.#end > this.#start) {
          this.tail = decodeLines(data.subarray(this.#start, this.#end))[0];
        }
        this.#start = this.#end;
        return null;
      }
      this.#scanned = this.#end - this.#start;
      await this.#fill();
    }
  }

  async #fill(): Promise<void> {
    const pending = this.#end - this.#start;
    if (pending > this.#maxLine) {
      throw new LineTooLongError(
        `line ${this.lineCount + 1} is longer than ${this.#maxLine} bytes`,
      );
    }
    if (this.#start > 0 || this.#end === this.#buf.length) {
      const size = Math.min(Math.max(CHUNK, pending * 2), this.#maxLine + 1);
      if (size > this.#buf.length) {
        const next = new Uint8Array(size);
        next.set(this.#buf.subarray(this.#start, this.#end));
        this.#buf = next;
      } else {
        this.#buf.copyWithin(0, this.#start, this.#end);
      }
      this.#start = 0;
      this.#end = pending;
    }
    const n = await this.#file.read(this.#buf.subarray(this.#end));
    if (n === null) this.#eof = true;
    else this.#end += n;
  }
}
