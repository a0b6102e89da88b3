// Copies of small byte ranges carved out of large shared buffers: a fresh ArrayBuffer per
// packet costs more than the copy itself, and the capture engines keep one per packet.

const SLAB_SIZE = 1 << 20;

/** Hands out copies as views into 1 MiB slabs (larger copies get their own buffer). */
export class ByteSlab {
  #slab = new Uint8Array(SLAB_SIZE);
  #used = 0;

  /** A copy of `src[start, start + length)`. */
  copy(src: Uint8Array, start: number, length: number): Uint8Array {
    if (length > SLAB_SIZE / 4) return src.slice(start, start + length);
    if (this.#used + length > SLAB_SIZE) {
      this.#slab = new Uint8Array(SLAB_SIZE);
      this.#used = 0;
    }
    const at = this.#used;
    this.#used = at + length;
    const slab = this.#slab;
    slab.set(start === 0 && length === src.length ? src : src.subarray(start, start + length), at);
    return slab.subarray(at, at + length);
  }
}
