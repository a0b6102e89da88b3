// Queries waiting for their responses: found by key hash, expired oldest first. The
// entries link themselves (no wrapper object per query), and a removed entry is unlinked
// at once, so answered queries do not linger behind an old unanswered one.

/** What an entry carries for the table's bookkeeping. */
export interface PendingEntry<T> {
  /** The key hash, a small integer. */
  readonly hash: number;
  /** The next entry with the same hash, in arrival order. */
  next: T | undefined;
  /** The neighbours in arrival order. */
  older: T | undefined;
  newer: T | undefined;
}

/** A hash-indexed FIFO: lookups by key hash, removal from anywhere, oldest-first expiry. */
export class PendingQueries<T extends PendingEntry<T>> {
  readonly #buckets = new Map<number, T>();
  #oldest: T | undefined;
  #newest: T | undefined;
  // The oldest entry not yet passed to `age`.
  #unaged: T | undefined;
  #size = 0;

  /** Entries waiting. */
  get size(): number {
    return this.#size;
  }

  /** Adds an entry (its links must be undefined). */
  add(e: T): void {
    let b = this.#buckets.get(e.hash);
    if (b === undefined) this.#buckets.set(e.hash, e);
    else {
      while (b.next !== undefined) b = b.next;
      b.next = e;
    }
    e.older = this.#newest;
    if (this.#newest === undefined) this.#oldest = e;
    else this.#newest.newer = e;
    this.#newest = e;
    this.#unaged ??= e;
    this.#size++;
  }

  /** The oldest entry, if any. */
  oldest(): T | undefined {
    return this.#oldest;
  }

  /** Removes and returns the first entry under `hash`, in arrival order, that `match` accepts. */
  take(hash: number, match: (e: T) => boolean): T | undefined {
    for (let e = this.#buckets.get(hash); e !== undefined; e = e.next) {
      if (match(e)) {
        this.remove(e);
        return e;
      }
    }
    return undefined;
  }

  /** Removes an entry that is in the table. */
  remove(e: T): void {
    this.#size--;
    const first = this.#buckets.get(e.hash)!;
    if (first === e) {
      if (e.next === undefined) this.#buckets.delete(e.hash);
      else this.#buckets.set(e.hash, e.next);
    } else {
      let p = first;
      while (p.next !== e) p = p.next!;
      p.next = e.next;
    }
    if (this.#unaged === e) this.#unaged = e.newer;
    if (e.older === undefined) this.#oldest = e.newer;
    else e.older.newer = e.newer;
    if (e.newer === undefined) this.#newest = e.older;
    else e.newer.older = e.older;
    e.next = e.older = e.newer = undefined;
  }

  /**
   * Passes each waiting entry to `fn` once, in arrival order, as long as `old` says the
   * entry has waited long enough.
   */
  age(old: (e: T) => boolean, fn: (e: T) => void): void {
    let e = this.#unaged;
    while (e !== undefined && old(e)) {
      fn(e);
      e = e.newer;
    }
    this.#unaged = e;
  }
}
