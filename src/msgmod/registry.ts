/**
 * The registry of message modules: lookups by vendor and message type, by number and by
 * name, and run-time registration of user modules.
 *
 * @module
 */

import type { MessageModule } from "./module.ts";

/**
 * Message modules by (vendor id, message type). Names are matched case-insensitively and
 * the vendor name `ISC` means `base`, as libnmsg does. Vendor names are known only
 * through registered modules.
 *
 * @example
 * ```ts
 * import { defaultRegistry } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const r = defaultRegistry();
 * assert.equal(r.lookup(2, 1)?.mname, "dnsdedupe");
 * assert.equal(r.lookupByName("ISC", "DNSQR")?.msgtype, 9);
 * assert.equal(r.vendorId("sie"), 2);
 * assert.equal(r.msgtypeName(1, 4), "http");
 * ```
 */
export class ModuleRegistry {
  readonly #byId = new Map<number, Map<number, MessageModule>>();
  // Ids by lower-case name (the first of each name), built on first use after a change:
  // JSON input looks up a module by name for every line.
  #vendorIds: Map<string, number> | undefined;
  readonly #typeIds = new Map<number, Map<string, number>>();

  /**
   * Creates a registry.
   *
   * @param modules Modules to register, in order (a later one replaces an earlier one of
   *   the same vendor and type).
   */
  constructor(modules: Iterable<MessageModule> = []) {
    for (const m of modules) this.register(m);
  }

  /**
   * Adds a module, replacing any module of the same vendor id and message type.
   *
   * @param module The module.
   * @returns This registry.
   */
  register(module: MessageModule): this {
    let types = this.#byId.get(module.vid);
    if (types === undefined) this.#byId.set(module.vid, types = new Map());
    types.set(module.msgtype, module);
    this.#vendorIds = undefined;
    this.#typeIds.clear();
    return this;
  }

  /**
   * The module of a vendor id and message type.
   *
   * @param vid Vendor id.
   * @param msgtype Message type id.
   * @returns The module, or undefined.
   */
  lookup(vid: number, msgtype: number): MessageModule | undefined {
    return this.#byId.get(vid)?.get(msgtype);
  }

  /**
   * The module of a vendor and message type name (case-insensitive; `ISC` = `base`).
   *
   * @param vname Vendor name.
   * @param mname Message type name.
   * @returns The module, or undefined.
   */
  lookupByName(vname: string, mname: string): MessageModule | undefined {
    const vid = this.vendorId(vname);
    if (vid === undefined) return undefined;
    const id = this.msgtypeId(vid, mname);
    return id === undefined ? undefined : this.lookup(vid, id);
  }

  /**
   * The id of a vendor name (case-insensitive; `ISC` = `base`).
   *
   * @param vname Vendor name.
   * @returns The vendor id, or undefined if no module of that vendor is registered.
   */
  vendorId(vname: string): number | undefined {
    const want = vname.toLowerCase();
    if (this.#vendorIds === undefined) {
      this.#vendorIds = new Map();
      for (const [vid, types] of this.#byId) {
        for (const m of types.values()) {
          const name = m.vname.toLowerCase();
          if (!this.#vendorIds.has(name)) this.#vendorIds.set(name, vid);
        }
      }
    }
    return this.#vendorIds.get(want === "isc" ? "base" : want);
  }

  /**
   * The name of a vendor id.
   *
   * @param vid Vendor id.
   * @returns The vendor name, or undefined if no module of that vendor is registered.
   */
  vendorName(vid: number): string | undefined {
    const types = this.#byId.get(vid);
    if (types === undefined) return undefined;
    for (const m of types.values()) return m.vname;
    return undefined;
  }

  /**
   * The id of a message type name within a vendor (case-insensitive).
   *
   * @param vid Vendor id.
   * @param mname Message type name.
   * @returns The message type id, or undefined.
   */
  msgtypeId(vid: number, mname: string): number | undefined {
    let ids = this.#typeIds.get(vid);
    if (ids === undefined) {
      const types = this.#byId.get(vid);
      if (types === undefined) return undefined;
      this.#typeIds.set(vid, ids = new Map());
      for (const m of types.values()) {
        const name = m.mname.toLowerCase();
        if (!ids.has(name)) ids.set(name, m.msgtype);
      }
    }
    return ids.get(mname.toLowerCase());
  }

  /**
   * The name of a message type.
   *
   * @param vid Vendor id.
   * @param msgtype Message type id.
   * @returns The message type name, or undefined.
   */
  msgtypeName(vid: number, msgtype: number): string | undefined {
    return this.lookup(vid, msgtype)?.mname;
  }

  /**
   * Every registered module, by vendor id then message type.
   *
   * @returns The modules.
   */
  modules(): MessageModule[] {
    return [...this.#byId.keys()].sort((a, b) => a - b).flatMap((vid) => {
      const types = this.#byId.get(vid)!;
      return [...types.keys()].sort((a, b) => a - b).map((t) => types.get(t)!);
    });
  }
}
