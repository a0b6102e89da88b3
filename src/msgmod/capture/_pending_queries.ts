// Queries waiting for their responses: found by key hash, expired oldest first. The
// entries link themselves (no wrapper object per query) into an array of chains indexed by
// the low bits of the hash, and a removed entry is unlinked at once, so answered queries
// do not linger behind an old unanswered one.

/** What an entry carries for the table's bookkeeping. */
export interface PendingEntry<T> {
  /** The key hash, a small integer. */
  readonly hash: number;
  /** The next entry in the same chain (entries whose hashes share their low bits). */
  next: T | undefined;
  /** The neighbours in arrival order. */
  older: T | undefined;
  newer: T | undefined;
}

/** A hash-indexed FIFO: lookups by key hash, removal from anywhere, oldest-first expiry. */
export class PendingQueries<T extends PendingEntry<T>> {
  // At least as many chains as entries; a power of two.
  #chains: (T | undefined)[] = new Array(1024).fill(undefined);
  #oldest: T | undefined;
  #newest: T | undefined;
  #size = 0;

  /** Entries waiting. */
  get size(): number {
    return this.#size;
  }

  /** Adds an entry (its links must be undefined). */
  add(e: T): void {
    if (this.#size >= this.#chains.length) this.#grow();
    this.#link(e);
    e.older = this.#newest;
    if (this.#newest === undefined) this.#oldest = e;
    else this.#newest.newer = e;
    this.#newest = e;
    this.#size++;
  }

  /** The oldest entry, if any. */
  oldest(): T | undefined {
    return this.#oldest;
  }

  /**
   * The first entry of the chain that holds the entries under `hash`, in arrival order;
   * follow `next` for the others (entries with other hashes may come between).
   */
  first(hash: number): T | undefined {
    return this.#chains[hash & (this.#chains.length - 1)];
  }

  /** Removes an entry that is in the table. */
  remove(e: T): void {
    this.#size--;
    const i = e.hash & (this.#chains.length - 1);
    const first = this.#chains[i]!;
    if (first === e) {
      this.#chains[i] = e.next;
    } else {
      let p = first;
      while (p.next !== e) p = p.next!;
      p.next = e.next;
    }
    if (e.older === undefined) this.#oldest = e.newer;
    else e.older.newer = e.newer;
    if (e.newer === undefined) this.#newest = e.older;
    else e.newer.older = e.older;
    e.next = e.older = e.newer = undefined;
  }

  /** Appends an entry to its chain, keeping arrival order within the chain. */
  #link(e: T): void {
    const i = e.hash & (this.#chains.length - 1);
    let c = this.#chains[i];
    if (c === undefined) this.#chains[i] = e;
    else {
      while (c.next !== undefined) c = c.next;
      c.next = e;
    }
  }

  /** Doubles the chains, relinking every entry in arrival order. */
  #grow(): void {
    this.#chains = new Array(this.#chains.length * 2).fill(undefined);
    for (let e = this.#oldest; e !== undefined; e = e.newer) {
      e.next = undefined;
      this.#link(e);
    }
  }
}
