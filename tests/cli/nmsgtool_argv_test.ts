import assert from "node:assert/strict";
import { atoi } from "../../cli/_nmsgtool_argv.ts";
import { parseCommandLine } from "../../cli/_nmsgtool_options.ts";
import { goldenBytes } from "../_golden.ts";

const text = (p: string) => new TextDecoder().decode(goldenBytes(p));

function args(argv: string[], env: Parameters<typeof parseCommandLine>[1] = {}) {
  const r = parseCommandLine(argv, env);
  if ("exit" in r) throw new Error(`unexpected exit ${r.exit}: ${r.stderr}`);
  assert.equal(r.stderr, "");
  return r.args;
}

Deno.test("parseCommandLine() gives -h the C tool's usage text", () => {
  const r = parseCommandLine(["-h"], {});
  assert.ok(!("exit" in r));
  assert.equal(r.help, text("expected/help.txt"));
});

Deno.test("parseCommandLine() queues the values of bundled short options", () => {
  // Golden opt-bundled_rJ: -rJ F - == -r F -J -.
  const a = args(["-rJ", "in.nmsg", "-"]);
  assert.deepEqual(a.readnmsg, ["in.nmsg"]);
  assert.deepEqual(a.writejson, ["-"]);
});

Deno.test("parseCommandLine() takes --long=value, --long value and unique prefixes", () => {
  const a = args(["--readnmsg=a", "--writej", "b", "--readn", "c", "-dd", "--debug"]);
  assert.deepEqual(a.readnmsg, ["a", "c"]);
  assert.deepEqual(a.writejson, ["b"]);
  assert.equal(a.debug, 3);
});

Deno.test("parseCommandLine() processes ARGV_NMSGTOOL before the command line", () => {
  // Golden opt-argv_env.
  const a = args(["-r", "x"], { argvEnv: "-J - --setsource 0x01020304" });
  assert.deepEqual(a.writejson, ["-"]);
  assert.equal(a.setsource, "0x01020304");
});

Deno.test("parseCommandLine() converts integers with atoi and keeps the C unsigned fields", () => {
  // Golden opt-count_abc: -c abc is 0.
  assert.equal(args(["-c", "abc"]).count, 0);
  assert.equal(args(["-c", "12x"]).count, 12);
  // A negative number is a value for a waiting numeric option, stored in an unsigned field.
  assert.equal(args(["-c", "-1"]).count, 4294967295);
  assert.equal(atoi("  +42abc"), 42);
  assert.equal(atoi("99999999999999"), 276447231);
});

Deno.test("parseCommandLine() keeps the last value of a string option and every array value", () => {
  const a = args(["-e", "a", "-e", "b", "-r", "1", "-r", "2"]);
  assert.equal(a.endline, "b");
  assert.deepEqual(a.readnmsg, ["1", "2"]);
});

Deno.test("parseCommandLine() reports usage problems as the C tool does", () => {
  for (
    const [id, argv] of [
      ["usage_unknown_short", ["-X"]],
      ["usage_unknown_long", ["--bogus"]],
      ["usage_ambiguous_long", ["--read", "x"]],
      ["usage_missing_arg", ["-r"]],
      ["usage_extra_arg", ["-r", "inputs/nmsg-dns-tests_test1-dns.nmsg", "extra"]],
    ] as const
  ) {
    const r = parseCommandLine(argv, {});
    assert.ok("exit" in r, id);
    assert.equal(r.exit, 1, id);
    assert.equal(r.stderr, text(`expected/${id}.stderr`), id);
  }
});

Deno.test("parseCommandLine() honours -- and GLOBAL_ARGV", () => {
  const r = parseCommandLine(["--", "-r"], {});
  assert.ok("exit" in r);
  assert.match(r.stderr, /^nmsgtool: usage problem, 1 unwanted additional argument\n/);
  const closed = parseCommandLine(["--readnmsg=x"], { globalArgv: "close=no,error=none" });
  assert.ok("exit" in closed);
  assert.equal(closed.stderr, "nmsgtool: usage problem, unknown long option '--readnmsg=x'.\n");
  const short = parseCommandLine(["-h"], { globalArgv: "usage=short" });
  assert.ok(!("exit" in short));
  assert.match(short.help, /^Usage: nmsgtool \[-dDhRvz\] \[-b filter\]/);
});

Deno.test("parseCommandLine() reads --argv-file, one argument per line", () => {
  const files: Record<string, string> = { "args.txt": "-r\nfile1\n\n-J\n-\n" };
  const a = args(["--argv-file", "args.txt"], { readFile: (p) => files[p] });
  assert.deepEqual(a.readnmsg, ["file1"]);
  assert.deepEqual(a.writejson, ["-"]);
  const missing = parseCommandLine(["--argv-file=nope"], { readFile: () => undefined });
  assert.ok("exit" in missing);
  assert.equal(missing.stderr, "nmsgtool: could not load command-line arguments from: nope\n");
});
