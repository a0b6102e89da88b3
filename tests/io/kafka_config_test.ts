import assert from "node:assert/strict";
import {
  KafkaConfigError,
  kafkaSettingsFor,
  loadKafkaConfig,
  parseKafkaConfigFile,
  parseKafkaConfigPairs,
} from "../../src/io/kafka_config.ts";

const entries = (m: Map<string, string> | undefined) => [...m ?? []];

Deno.test("parseKafkaConfigFile() reads sections, trims blanks, keeps the last repeated key", () => {
  const cfg = parseKafkaConfigFile(
    [
      "# comment",
      "",
      "  [default]",
      "linger.ms = 5  ",
      "\tacks=1",
      "acks = all",
      "url = a=b",
      "[kafka1:9092]",
      "client.id=x",
      "[default]",
      "batch.size =  10",
    ].join("\n"),
  );
  assert.deepEqual(entries(cfg.get("default")), [
    ["linger.ms", "5"],
    ["acks", "all"],
    ["url", "a=b"],
    ["batch.size", "10"],
  ]);
  assert.deepEqual(entries(cfg.get("kafka1:9092")), [["client.id", "x"]]);
});

Deno.test("parseKafkaConfigFile() fails where libnmsg's config_file_load fails", () => {
  const bad = [
    "linger.ms=5\n", // before any section
    "[default\n", // unterminated
    "[default]\nab\n", // shorter than 3
    "[default]\nkey\n", // no =
    "[default]\n =v\n", // empty key
    "[default]\nk=   \n", // empty value
    "# only a comment\n", // no section
    "",
  ];
  for (const text of bad) {
    assert.throws(
      () => parseKafkaConfigFile(text, "f.ini"),
      KafkaConfigError,
      JSON.stringify(text),
    );
  }
  assert.throws(
    () => parseKafkaConfigFile("x=1\n", "f.ini"),
    /f.ini: line 1: setting before any \[section\]/,
  );
});

Deno.test("parseKafkaConfigPairs() fills [default]; a malformed item rejects the string", () => {
  assert.deepEqual(entries(parseKafkaConfigPairs("a=1:b = 2:").get("default")), [
    ["a", "1"],
    ["b", "2"],
  ]);
  for (const bad of ["", "a", "a=1::b=2", ":a=1", "a=1:=2"]) {
    assert.throws(() => parseKafkaConfigPairs(bad), KafkaConfigError, bad);
  }
});

Deno.test("kafkaSettingsFor() applies [default], then the broker's section", () => {
  const cfg = parseKafkaConfigFile("[h:9092]\nacks=all\n[default]\nacks=1\nlinger.ms=5\n");
  assert.deepEqual(kafkaSettingsFor(cfg, "h:9092"), [
    ["acks", "1"],
    ["linger.ms", "5"],
    ["acks", "all"],
  ]);
  assert.deepEqual(kafkaSettingsFor(cfg, "other:9092"), [["acks", "1"], ["linger.ms", "5"]]);
});

Deno.test("loadKafkaConfig() takes a path (/ or ./), else pairs, else the default file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/k.ini`, "[default]\nacks=all\n");
    assert.deepEqual(entries(loadKafkaConfig(`${dir}/k.ini`)?.get("default")), [["acks", "all"]]);
    assert.deepEqual(entries(loadKafkaConfig("acks=0")?.get("default")), [["acks", "0"]]);
    assert.throws(() => loadKafkaConfig(`${dir}/missing.ini`), /failed to load configuration file/);
    assert.equal(loadKafkaConfig(undefined, dir), undefined);
    await Deno.writeTextFile(`${dir}/nmsg.kafkacfg`, "[default]\nlinger.ms=9\n");
    assert.deepEqual(entries(loadKafkaConfig(undefined, dir)?.get("default")), [[
      "linger.ms",
      "9",
    ]]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
