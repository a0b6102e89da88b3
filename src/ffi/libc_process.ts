/**
 * The libc calls nmsgtool needs for `-U` (switch user) and `-D` (new session, stdio on
 * /dev/null), which Deno has no API for.
 *
 * @module
 */

import { copyFromNative } from "./libc_memory.ts";
import { openLibrary } from "./loader.ts";

const SYMBOLS = {
  /** struct passwd *getpwnam(const char *name); */
  getpwnam: { parameters: ["buffer"], result: "u64" },
  /** int initgroups(const char *user, gid_t group); */
  initgroups: { parameters: ["buffer", "u32"], result: "i32" },
  /** int setgid(gid_t gid); */
  setgid: { parameters: ["u32"], result: "i32" },
  /** int setuid(uid_t uid); */
  setuid: { parameters: ["u32"], result: "i32" },
  /** pid_t setsid(void); */
  setsid: { parameters: [], result: "i32" },
  /** int open(const char *path, int flags); */
  open: { parameters: ["buffer", "i32"], result: "i32" },
  /** int dup2(int oldfd, int newfd); */
  dup2: { parameters: ["i32", "i32"], result: "i32" },
  /** int close(int fd); */
  close: { parameters: ["i32"], result: "i32" },
} as const;

const O_RDWR = 2;

let libc: Deno.DynamicLibrary<typeof SYMBOLS> | undefined;

function symbols(): Deno.DynamicLibrary<typeof SYMBOLS>["symbols"] {
  libc ??= openLibrary("libc", SYMBOLS).lib;
  return libc.symbols;
}

function cString(s: string): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(s + "\0");
}

/** A user account's ids. */
export interface UserIds {
  /** User id. */
  uid: number;
  /** Primary group id. */
  gid: number;
}

/**
 * Looks a user up in the password database (`getpwnam`).
 *
 * @param name The user name.
 * @returns Its ids, or undefined if there is no such user.
 */
export function getUserIds(name: string): UserIds | undefined {
  const pw = symbols().getpwnam(cString(name));
  if (pw === 0n) return undefined;
  // struct passwd on Linux and macOS: two pointers, then uid_t and gid_t.
  const ids = new Uint8Array(8);
  copyFromNative(ids, pw + 16n);
  const view = new DataView(ids.buffer);
  return { uid: view.getUint32(0, true), gid: view.getUint32(4, true) };
}

/**
 * Becomes `name` for good: `initgroups`, `setgid`, `setuid` (every thread, as glibc does).
 *
 * @param name The user name.
 * @param ids Its ids.
 * @returns False if any call failed.
 */
export function becomeUser(name: string, ids: UserIds): boolean {
  const s = symbols();
  return s.initgroups(cString(name), ids.gid) === 0 && s.setgid(ids.gid) === 0 &&
    s.setuid(ids.uid) === 0;
}

/**
 * Starts a new session (`setsid`), leaving the terminal's process group.
 *
 * @returns False if it failed (e.g. already a group leader).
 */
export function newSession(): boolean {
  return symbols().setsid() >= 0;
}

/**
 * Points stdin, stdout and stderr at /dev/null, as a daemon must: closing them instead would
 * let the next file opened take descriptor 2 and receive error messages.
 *
 * @returns False if /dev/null could not be opened or a descriptor not replaced.
 */
export function stdioToDevNull(): boolean {
  const s = symbols();
  const fd = s.open(cString("/dev/null"), O_RDWR);
  if (fd < 0) return false;
  let ok = true;
  for (const target of [0, 1, 2]) if (s.dup2(fd, target) < 0) ok = false;
  if (fd > 2) s.close(fd);
  return ok;
}
