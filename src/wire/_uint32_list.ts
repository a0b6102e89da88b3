// A growable list of uint32 values kept across uses (CRC lists on the hot path), so that
// refilling it allocates nothing once it has grown to size.

/** Values `[0, length)` of `values`. */
export class Uint32List {
  values: Uint32Array;
  length = 0;

  constructor(capacity = 64) {
    this.values = new Uint32Array(capacity);
  }

  push(x: number): void {
    if (this.length === this.values.length) {
      const grown = new Uint32Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = x;
  }
}
