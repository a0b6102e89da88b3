/**
 * Loss accounting from container sequence numbers ("seqsrc"), exactly as libnmsg counts it.
 *
 * @module
 */

/** Containers from one sender with one sequence id. */
export interface SeqsrcSource {
  /** The writer's random sequence id. */
  sequenceId: bigint;
  /** The sender, e.g. `127.0.0.1/8430` (empty for transports without addresses). */
  sender: string;
  /** Containers counted since the source was first seen or last reset. */
  received: number;
  /** Containers missing from the sequence since then. */
  dropped: number;
  /** The sequence number expected next. */
  expected: number;
  /** When a container was last seen (seconds). */
  lastSeen: number;
}

/** Totals for one input. */
export interface SeqsrcTotals {
  /** Containers received (every decoded container, sequenced or not). */
  received: number;
  /** Containers lost, summed over sources (never reduced by per-source resets). */
  dropped: number;
}

/** A delta above this is taken as a restart or reordering, not loss. */
export const SEQSRC_MAX_DELTA = 1048576;

/**
 * Tracks sequence numbers per (sequence id, sender) and counts gaps as dropped containers,
 * with libnmsg's rules: the first container of a source counts no loss; a forward gap of up
 * to 1,048,576 counts as loss (uint32 wraparound is contiguous); a larger delta, including
 * going backwards, resets the source; sources unseen for 120 s are forgotten.
 *
 * @example A gap of two
 * ```ts
 * import { SeqsrcTracker } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const t = new SeqsrcTracker();
 * for (const s of [0, 1, 2, 5, 6]) t.update(1n, "127.0.0.1/9000", s, 0);
 * assert.deepEqual(t.totals, { received: 5, dropped: 2 });
 * ```
 */
export class SeqsrcTracker {
  /** Input-level counters. */
  readonly totals: SeqsrcTotals = { received: 0, dropped: 0 };
  // Most recently seen first, as libnmsg keeps them; lookups expire what they pass over.
  #sources: SeqsrcSource[] = [];
  readonly #expiry: number;

  /**
   * Creates a tracker.
   *
   * @param expirySeconds Forget sources not seen for this long. Default 120.
   */
  constructor(expirySeconds = 120) {
    this.#expiry = expirySeconds;
  }

  /** The sources currently tracked, most recently seen first. */
  get sources(): readonly SeqsrcSource[] {
    return this.#sources;
  }

  /**
   * Counts a received container that has no sequence fields.
   */
  countUnsequenced(): void {
    this.totals.received++;
  }

  /**
   * Accounts for one received sequenced container.
   *
   * @param sequenceId The container's `sequence_id`.
   * @param sender Who sent it.
   * @param sequence The container's `sequence`.
   * @param now Current time in seconds.
   * @returns How many containers this one shows as lost (0 if none).
   */
  update(sequenceId: bigint, sender: string, sequence: number, now: number): number {
    this.totals.received++;
    let src: SeqsrcSource | undefined;
    let init = false;
    const kept: SeqsrcSource[] = [];
    for (const s of this.#sources) {
      if (src === undefined && s.sequenceId === sequenceId && s.sender === sender) src = s;
      else if (src !== undefined || s.lastSeen >= now - this.#expiry) kept.push(s);
    }
    if (src === undefined) {
      src = { sequenceId, sender, received: 0, dropped: 0, expected: 0, lastSeen: now };
      init = true;
    }
    this.#sources = [src, ...kept];
    src.lastSeen = now;
    src.received++;
    let drop = 0;
    if (src.expected !== sequence && !init) {
      const delta = (sequence - src.expected) >>> 0;
      if (delta > SEQSRC_MAX_DELTA) {
        src.received = 0;
        src.dropped = 0;
      } else {
        drop = delta;
        src.dropped += delta;
      }
    }
    src.expected = (sequence + 1) >>> 0;
    this.totals.dropped += drop;
    return drop;
  }
}
