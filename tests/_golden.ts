// Reading ../shared/golden/MANIFEST.tsv: the C tools' recorded cases.

/** The golden corpus directory (cwd for every case). */
export const GOLDEN_DIR: string = new URL("../../shared/golden/", import.meta.url).pathname;

/** One manifest row; paths are relative to GOLDEN_DIR. */
export interface GoldenCase {
  id: string;
  /** Extra environment variables. */
  env: Record<string, string>;
  /** argv[0] is the tool (`nmsgtool` or `nmsgpcnt`); `@OUT` stands for a fresh output path. */
  argv: string[];
  /** File to feed on stdin, or "" for empty stdin. */
  stdin: string;
  /** File with the exact expected stdout, or "" when not checked. */
  stdout: string;
  /** Expected @OUT content: a file, `pres:<file>`, or "" for none. */
  out: string;
  exit: number;
  note: string;
  /** The recorded stderr file named in the note (`[stderr: expected/X]`), if any. */
  stderr: string | undefined;
}

/** Parses the manifest. */
export function goldenCases(): GoldenCase[] {
  const text = Deno.readTextFileSync(GOLDEN_DIR + "MANIFEST.tsv");
  const [header, ...rows] = text.split("\n").filter((l) => l.length > 0);
  if (header !== "id\tenv\targv\tstdin\tstdout\tout\texit\tnote") {
    throw new Error(`unexpected MANIFEST.tsv header: ${header}`);
  }
  return rows.map((row) => {
    const [id, env, argv, stdin, stdout, out, exit, note] = row.split("\t") as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    const envObj: Record<string, string> = {};
    for (const kv of env.split(";").filter((s) => s.length > 0)) {
      const eq = kv.indexOf("=");
      envObj[kv.slice(0, eq)] = kv.slice(eq + 1);
    }
    const stderr = /\[stderr: (expected\/[^\]]+)\]\s*$/.exec(note)?.[1];
    return {
      id,
      env: envObj,
      argv: JSON.parse(argv),
      stdin,
      stdout,
      out,
      exit: Number(exit),
      note,
      stderr,
    };
  });
}

/** Reads a golden file as bytes. */
export function goldenBytes(path: string): Uint8Array {
  return Deno.readFileSync(GOLDEN_DIR + path);
}
