// Ingress byte-rate limiting (nmsgtool -B), paced the way libnmsg paces it: each container
// is given size/rate seconds (less the time spent reading it, when that is smaller), spread
// over its payloads in steps of a tenth of the container.

const QUANTUM = 0.1;

/** Per-input pacing state. */
export class BytePacer {
  readonly #rate: number;
  readonly #now: () => number;
  #lastContainerEnd: number;
  #budget = 0;
  #quantum = 1;
  #count = 0;
  #containerStart = 0;

  /**
   * @param bytesPerSecond The target rate.
   * @param now Clock in seconds (tests replace it).
   */
  constructor(bytesPerSecond: number, now: () => number = () => performance.now() / 1000) {
    this.#rate = bytesPerSecond;
    this.#now = now;
    this.#lastContainerEnd = now();
  }

  /**
   * Starts a container.
   *
   * @param size The container's size in bytes, header included.
   * @param count Payloads in the container.
   */
  start(size: number, count: number): void {
    const now = this.#now();
    const overhead = now - this.#lastContainerEnd;
    this.#budget = size / this.#rate;
    if (overhead < this.#budget) this.#budget -= overhead;
    this.#quantum = Math.max(1, Math.floor(QUANTUM * count));
    this.#count = count;
    this.#containerStart = now;
  }

  /** True if payload `n` of the container is one where {@linkcode delay} may wait. */
  isStep(n: number): boolean {
    return n !== 0 && (n % this.#quantum === 0 || n === this.#count - 1);
  }

  /** Seconds to wait before handing out payload `n` (0 = none). */
  delay(n: number): number {
    if (!this.isStep(n)) return 0;
    const wait = (n / this.#count) * this.#budget - (this.#now() - this.#containerStart);
    return wait > 0 ? wait : 0;
  }

  /** Marks the end of a container's payloads. */
  done(): void {
    this.#lastContainerEnd = this.#now();
  }
}
