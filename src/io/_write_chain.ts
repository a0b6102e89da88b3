// Keeping an output's writes in order without awaiting each one: a write runs at once
// unless an earlier one is still waiting (for room to send, a pacer, a broker), in which
// case it queues behind it. Only then does the caller get a promise to await.

/** The queue of one output's pending writes. */
export class WriteChain {
  #tail: Promise<void> | undefined;

  /**
   * Runs `step` now, or after the pending steps.
   *
   * @returns A promise if the step waits or had to queue, else undefined.
   */
  run(step: () => Promise<void> | undefined): Promise<void> | undefined {
    const p = this.#tail === undefined ? step() : this.#tail.then(step);
    if (p === undefined) return undefined;
    this.#tail = p;
    const clear = () => {
      if (this.#tail === p) this.#tail = undefined;
    };
    p.then(clear, clear);
    return p;
  }

  /** Resolves (or rejects) once the pending steps are done. */
  async idle(): Promise<void> {
    while (this.#tail !== undefined) await this.#tail;
  }
}
