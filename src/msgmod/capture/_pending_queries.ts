// Queries waiting for their responses: found by key hash, expired oldest first. The
// entries link themselves (no wrapper object per query).

/** What an entry carries for the table's bookkeeping. */
export interface PendingEntry<T> {
  /** The key hash, a small integer. */
  readonly hash: number;
  /** The next entry with the same hash, in arrival order. */
  next: T | undefined;
  /** True once taken out of the table. */
  removed: boolean;
}

/** A hash-indexed FIFO: lookups by key hash, removal from anywhere, oldest-first expiry. */
export class PendingQueries<T extends PendingEntry<T>> {
  readonly #buckets = new Map<number, T>();
  // Arrival order; removed entries stay until they reach the head.
  #queue: T[] = [];
  #head = 0;
  // Entries before this index have been passed to `age`.
  #aged = 0;
  #size = 0;

  /** Entries waiting. */
  get size(): number {
    return this.#size;
  }

  /** Adds an entry (its `next` must be undefined). */
  add(e: T): void {
    let b = this.#buckets.get(e.hash);
    if (b === undefined) this.#buckets.set(e.hash, e);
    else {
      while (b.next !== undefined) b = b.next;
      b.next = e;
    }
    this.#queue.push(e);
    this.#size++;
  }

  /** The oldest entry, if any. */
  oldest(): T | undefined {
    const q = this.#queue;
    let h = this.#head;
    while (h < q.length && q[h]!.removed) h++;
    if (h > 4096 && h * 2 > q.length) {
      this.#queue = q.slice(h);
      this.#aged = Math.max(0, this.#aged - h);
      h = 0;
    }
    this.#head = h;
    return this.#queue[h];
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
    e.removed = true;
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
    e.next = undefined;
  }

  /**
   * Passes each waiting entry to `fn` once, in arrival order, as long as `old` says the
   * entry has waited long enough.
   */
  age(old: (e: T) => boolean, fn: (e: T) => void): void {
    const q = this.#queue;
    let i = Math.max(this.#aged, this.#head);
    for (; i < q.length; i++) {
      const e = q[i]!;
      if (e.removed) continue;
      if (!old(e)) break;
      fn(e);
    }
    this.#aged = i;
  }
}
