/**
 * Loss accounting from container sequence numbers ("seqsrc"), exactly as libnmsg counts it,
 * with the debug lines libnmsg prints about it.
 *
 * @module
 */

/** Containers from one sender with one sequence id. */
export interface SeqsrcSource {
  /** The writer's random sequence id (0 for containers without one). */
  sequenceId: bigint;
  /** The sender, e.g. `127.0.0.1/8430` (empty for transports without addresses). */
  sender: string;
  /** Containers counted since the source was first seen or last reset. */
  received: number;
  /** Containers missing from the sequence since then. */
  dropped: number;
  /** Times the source was reset (an implausible jump, usually a restarted sender). */
  resets: number;
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

/** Something a {@linkcode SeqsrcTracker} noticed, for debug output. */
export type SeqsrcEvent =
  /** A container from a sender and sequence id not seen before (or forgotten). */
  | { type: "new"; source: Readonly<SeqsrcSource> }
  /** A gap: `delta` containers are missing before `sequence`. */
  | {
    type: "gap";
    source: Readonly<SeqsrcSource>;
    expected: number;
    sequence: number;
    delta: number;
  }
  /** The source's counts were cleared; `received`/`dropped` are the values before. */
  | {
    type: "reset";
    source: Readonly<SeqsrcSource>;
    reason: "implausibly large delta";
    received: number;
    dropped: number;
  }
  /** A source idle for longer than the expiry, or the last beyond `maxSources`, was forgotten. */
  | { type: "expire"; source: Readonly<SeqsrcSource> };

/** Options for {@linkcode SeqsrcTracker}. */
export interface SeqsrcTrackerOptions {
  /** Forget sources not seen for this many seconds. Default 120. */
  expirySeconds?: number;
  /**
   * Most sources tracked at once. Default 4096. A new source beyond it makes the tracker
   * forget the last source of its list (an `expire` event), which is one seen only once
   * unless every source has been seen again: forged sequence ids can neither grow the list
   * (libnmsg's grows without bound) nor push out the senders that keep sending.
   */
  maxSources?: number;
  /** Called for each event (new source, gap, reset, expiry). */
  onEvent?: (e: SeqsrcEvent) => void;
}

// A source until its first sequenced container has set the expected sequence.
interface Entry extends SeqsrcSource {
  init: boolean;
}

/** A delta above this is taken as a restart or reordering, not loss. */
export const SEQSRC_MAX_DELTA = 1048576;

/**
 * Tracks sequence numbers per (sequence id, sender) and counts gaps as dropped containers,
 * with libnmsg's rules: the first container of a source counts no loss; a forward gap of up
 * to 1,048,576 counts as loss (uint32 wraparound is contiguous); a larger delta, including
 * going backwards, resets the source; sources unseen for 120 s are forgotten when a lookup
 * passes over them.
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
  // Most recently seen first; new sources join at the end, as in libnmsg's list.
  #sources: Entry[] = [];
  // The same sources by id and sender, to find one without walking the list.
  readonly #index = new Map<string, Entry>();
  // At most the earliest lastSeen of any source: while it is recent, none is idle, and
  // libnmsg's walk would free nothing on its way.
  #oldest = Infinity;
  readonly #expiry: number;
  readonly #maxSources: number;
  readonly #onEvent: ((e: SeqsrcEvent) => void) | undefined;

  /**
   * Creates a tracker.
   *
   * @param options Expiry and an event listener.
   */
  constructor(options: SeqsrcTrackerOptions = {}) {
    this.#expiry = options.expirySeconds ?? 120;
    this.#maxSources = options.maxSources ?? 4096;
    this.#onEvent = options.onEvent;
  }

  /** The sources currently tracked, most recently seen first. */
  get sources(): readonly Readonly<SeqsrcSource>[] {
    return this.#sources;
  }

  /**
   * Accounts for one received container, as libnmsg does for each container a socket input
   * decodes: it is counted, its sender's source is looked up (or created, even for a
   * container without sequence fields), and only a container carrying both `sequence` and
   * `sequence_id` is checked for a gap.
   *
   * @param sender Who sent it.
   * @param sequence The container's `sequence`, if set.
   * @param sequenceId The container's `sequence_id`, if set.
   * @param now Current time in seconds.
   * @returns How many containers this one shows as lost (0 if none).
   */
  record(
    sender: string,
    sequence: number | undefined,
    sequenceId: bigint | undefined,
    now: number,
  ): number {
    this.totals.received++;
    const src = this.#lookup(sequenceId ?? 0n, sender, now);
    if (sequence === undefined || sequenceId === undefined) return 0;
    src.received++;
    let drop = 0;
    if (src.expected !== sequence && !src.init) {
      const delta = (sequence - src.expected) >>> 0;
      if (delta > SEQSRC_MAX_DELTA) {
        this.#onEvent?.({
          type: "reset",
          source: src,
          reason: "implausibly large delta",
          received: src.received,
          dropped: src.dropped,
        });
        src.received = 0;
        src.dropped = 0;
        src.resets++;
      } else {
        drop = delta;
        src.dropped += delta;
        this.#onEvent?.({ type: "gap", source: src, expected: src.expected, sequence, delta });
      }
    }
    src.init = false;
    src.expected = (sequence + 1) >>> 0;
    this.totals.dropped += drop;
    return drop;
  }

  /**
   * Accounts for one sequenced container ({@linkcode SeqsrcTracker.record} with both fields).
   *
   * @param sequenceId The container's `sequence_id`.
   * @param sender Who sent it.
   * @param sequence The container's `sequence`.
   * @param now Current time in seconds.
   * @returns How many containers this one shows as lost (0 if none).
   */
  update(sequenceId: bigint, sender: string, sequence: number, now: number): number {
    return this.record(sender, sequence, sequenceId, now);
  }

  // Finds the source, freeing the idle ones libnmsg's walk of the list passes over on the
  // way. When none can be idle the walk is skipped: forged sequence ids make every lookup a
  // new source, and walking thousands of sources for each would stall the input.
  #lookup(sequenceId: bigint, sender: string, now: number): Entry {
    const list = this.#sources;
    if (now < this.#oldest) this.#oldest = now;
    const head = list[0];
    if (head !== undefined && head.sequenceId === sequenceId && head.sender === sender) {
      head.lastSeen = now;
      return head;
    }
    const key = sourceKey(sequenceId, sender);
    if (this.#oldest < now - this.#expiry) {
      let oldest = now;
      let i = 0;
      while (i < list.length) {
        const s = list[i]!;
        if (s.sequenceId === sequenceId && s.sender === sender) {
          list.splice(i, 1);
          list.unshift(s);
          s.lastSeen = now;
          return s;
        }
        if (s.lastSeen < now - this.#expiry) {
          list.splice(i, 1);
          this.#index.delete(sourceKey(s.sequenceId, s.sender));
          this.#onEvent?.({ type: "expire", source: s });
        } else {
          if (s.lastSeen < oldest) oldest = s.lastSeen;
          i++;
        }
      }
      this.#oldest = oldest;
    } else {
      const s = this.#index.get(key);
      if (s !== undefined) {
        list.splice(list.indexOf(s), 1);
        list.unshift(s);
        s.lastSeen = now;
        return s;
      }
    }
    if (list.length >= this.#maxSources && list.length > 0) {
      const s = list.pop()!;
      this.#index.delete(sourceKey(s.sequenceId, s.sender));
      this.#onEvent?.({ type: "expire", source: s });
    }
    const src: Entry = {
      sequenceId,
      sender,
      received: 0,
      dropped: 0,
      resets: 0,
      expected: 0,
      lastSeen: now,
      init: true,
    };
    list.push(src);
    this.#index.set(key, src);
    this.#onEvent?.({ type: "new", source: src });
    return src;
  }
}

function sourceKey(sequenceId: bigint, sender: string): string {
  return `${sequenceId} ${sender}`;
}
