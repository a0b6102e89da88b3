/**
 * librdkafka settings from `NMSG_KAFKA_CONFIG`: a path to an INI file, or
 * `key=value:key=value` pairs, read with libnmsg's rules (`config_file.c`).
 *
 * @module
 */

import { NMSG_ETCDIR } from "./etc_dir.ts";

/** The section whose settings apply to every broker. */
export const KAFKA_DEFAULT_SECTION = "default";

/** A configuration: sections of `key = value` settings, in file order. */
export type KafkaConfig = Map<string, Map<string, string>>;

/**
 * `NMSG_KAFKA_CONFIG` or its file does not follow the syntax.
 *
 * @example
 * ```ts
 * import { KafkaConfigError, parseKafkaConfigPairs } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * assert.throws(() => parseKafkaConfigPairs("acks"), KafkaConfigError);
 * ```
 */
export class KafkaConfigError extends Error {
  /** Always `"KafkaConfigError"`. */
  override name = "KafkaConfigError";
}

const BLANK = /[ \t]/;

/** Adds `key=value` to a section as libnmsg does; false if the item is malformed. */
function addItem(section: Map<string, string>, item: string): boolean {
  const eq = item.indexOf("=");
  if (eq < 0) return false;
  let key = item.slice(0, eq);
  let value = item.slice(eq + 1);
  // Trailing blanks of the key and both ends of the value go, but never a last character.
  while (key.length > 1 && BLANK.test(key[key.length - 1]!)) key = key.slice(0, -1);
  while (value.length > 0 && BLANK.test(value[0]!)) value = value.slice(1);
  while (value.length > 1 && BLANK.test(value[value.length - 1]!)) value = value.slice(0, -1);
  if (key === "" || value === "") return false;
  section.set(key, value);
  return true;
}

/**
 * Parses an INI configuration: `[section]` lines (reopening a section adds to it),
 * `key = value` lines, `#` comments and blank lines. A line shorter than 3 characters, an
 * unterminated section header, an item before any section or without `=`, an empty key or
 * value, and a file without any section are errors; a repeated key keeps its last value.
 *
 * @param text The file's contents.
 * @param name The file name, for messages.
 * @returns The sections.
 * @throws {KafkaConfigError} Naming the file and line.
 *
 * @example
 * ```ts
 * import { parseKafkaConfigFile } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const cfg = parseKafkaConfigFile("[default]\nlinger.ms = 5\n[kafka1:9092]\nacks=all\n");
 * assert.equal(cfg.get("default")?.get("linger.ms"), "5");
 * assert.equal(cfg.get("kafka1:9092")?.get("acks"), "all");
 * ```
 */
export function parseKafkaConfigFile(text: string, name = "configuration"): KafkaConfig {
  const config: KafkaConfig = new Map();
  let section: Map<string, string> | undefined;
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const fail = (why: string): never => {
      throw new KafkaConfigError(`${name}: line ${i + 1}: ${why}`);
    };
    let line = lines[i]!.replace(/^[ \t]+/, "");
    if (line === "" || line.startsWith("#")) continue;
    if (line.length > 1022) fail("line longer than 1022 characters");
    line = line.replace(/(?<=.)[ \t]+$/, "");
    if (line.length < 3) fail("line shorter than 3 characters");
    if (line.startsWith("[")) {
      if (!line.endsWith("]")) fail("section header without ]");
      const title = line.slice(1, -1);
      section = config.get(title);
      if (section === undefined) config.set(title, section = new Map());
      continue;
    }
    if (section === undefined) fail("setting before any [section]");
    if (!addItem(section!, line)) fail("expected key = value");
  }
  if (config.size === 0) throw new KafkaConfigError(`${name}: no [section]`);
  return config;
}

/**
 * Parses settings given inline, `key=value:key=value`, into the default section (values
 * cannot contain `:`). A malformed item rejects the whole string.
 *
 * @param text The pairs.
 * @returns A configuration with the `default` section.
 * @throws {KafkaConfigError} If an item is malformed or the string is empty.
 *
 * @example
 * ```ts
 * import { parseKafkaConfigPairs } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const cfg = parseKafkaConfigPairs("linger.ms=5:acks = all");
 * assert.deepEqual([...cfg.get("default")!], [["linger.ms", "5"], ["acks", "all"]]);
 * ```
 */
export function parseKafkaConfigPairs(text: string): KafkaConfig {
  if (text === "") throw new KafkaConfigError("empty Kafka configuration");
  const section = new Map<string, string>();
  const items = text.split(":");
  // One trailing `:` ends the list, as in libnmsg.
  if (items.length > 1 && items.at(-1) === "") items.pop();
  for (const item of items) {
    if (!addItem(section, item)) {
      throw new KafkaConfigError(`failed to apply configuration "${text}": bad item "${item}"`);
    }
  }
  return new Map([[KAFKA_DEFAULT_SECTION, section]]);
}

/**
 * The librdkafka settings for a broker, as libnmsg applies them: those of `[default]`,
 * then those of the section named exactly like the broker string.
 *
 * @param config The configuration.
 * @param broker The endpoint's broker (`host:port`).
 * @returns `[key, value]` pairs in the order to set them.
 *
 * @example
 * ```ts
 * import { kafkaSettingsFor, parseKafkaConfigFile } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * const cfg = parseKafkaConfigFile("[kafka1:9092]\nacks=all\n[default]\nacks=1\n");
 * assert.deepEqual(kafkaSettingsFor(cfg, "kafka1:9092"), [["acks", "1"], ["acks", "all"]]);
 * assert.deepEqual(kafkaSettingsFor(cfg, "kafka2:9092"), [["acks", "1"]]);
 * ```
 */
export function kafkaSettingsFor(config: KafkaConfig, broker: string): [string, string][] {
  return [
    ...config.get(KAFKA_DEFAULT_SECTION) ?? [],
    ...(broker === KAFKA_DEFAULT_SECTION ? [] : config.get(broker) ?? []),
  ];
}

/**
 * Reads the configuration nmsgtool would use: `NMSG_KAFKA_CONFIG` (a file if it starts
 * with `/` or `./`, else inline pairs), or else `<etc>/nmsg.kafkacfg` if it exists.
 *
 * @param env The value of `NMSG_KAFKA_CONFIG`, if set.
 * @param etcDir Where the default file is looked for.
 * @returns The configuration, or undefined if there is none.
 * @throws {KafkaConfigError} If it is malformed or the named file cannot be read.
 *
 * @example
 * ```ts
 * import { loadKafkaConfig } from "@nmsg-deno/nmsg";
 * import assert from "node:assert/strict";
 *
 * // Not a path: inline pairs.
 * assert.equal(loadKafkaConfig("linger.ms=5")?.get("default")?.get("linger.ms"), "5");
 * ```
 */
export function loadKafkaConfig(
  env: string | undefined,
  etcDir: string = NMSG_ETCDIR,
): KafkaConfig | undefined {
  let path = env;
  if (path === undefined) {
    path = `${etcDir}/nmsg.kafkacfg`;
    try {
      Deno.statSync(path);
    } catch (e) {
      if (e instanceof Deno.errors.NotCapable) throw e;
      return undefined;
    }
  } else if (!path.startsWith("/") && !(path.startsWith("./") && path.length > 2)) {
    return parseKafkaConfigPairs(path);
  }
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotCapable) throw e;
    throw new KafkaConfigError(
      `failed to load configuration file "${path}": ${e instanceof Error ? e.message : e}`,
    );
  }
  return parseKafkaConfigFile(text, path);
}

/** Options shared by the Kafka inputs and outputs. */
export interface KafkaClientOptions {
  /** Extra librdkafka settings (`NMSG_KAFKA_CONFIG`, see `loadKafkaConfig`). */
  config?: KafkaConfig | undefined;
  /** nmsgtool's level for librdkafka's log lines (`NMSG_KAFKA_LOG_LEVEL`). Default 3. */
  logLevel?: number;
  /** Debug lines and warnings, with nmsgtool's levels. */
  log?: (level: number, line: string) => void;
}
