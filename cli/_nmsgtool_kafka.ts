// Building nmsgtool's Kafka inputs and outputs (`--readkafka`, `--writekafka`); loaded only
// when used.

import { loadedZlib } from "../src/io/_lazy_zlib.ts";
import { kafkaLogLevel } from "../src/io/_kafka_client.ts";
import { type KafkaClientOptions, loadKafkaConfig } from "../src/io/kafka_config.ts";
import { KafkaInput, KafkaJsonInput } from "../src/io/kafka_input.ts";
import { KafkaJsonOutput, KafkaOutput } from "../src/io/kafka_output.ts";
import {
  endpointFailure,
  FatalError,
  inputFilters,
  openEndpoint,
  type ToolContext,
} from "./_nmsgtool_io.ts";

/** `--readkafka`/`--writekafka`: the value must name the protocol. */
function checkKafkaSpec(spec: string): void {
  if (!spec.startsWith("nmsg:") && !spec.startsWith("json:")) {
    throw new FatalError("nmsgtool: Error: nmsg or json protocol must be set for Kafka topic");
  }
}

/** librdkafka settings (`NMSG_KAFKA_CONFIG`, read for each client as libnmsg does). */
function kafkaOptions(ctx: ToolContext): KafkaClientOptions {
  return {
    config: loadKafkaConfig(ctx.kafkaConfig),
    logLevel: kafkaLogLevel(ctx.kafkaLogLevel, ctx.log),
    log: ctx.log,
  };
}

/** `--readkafka nmsg:|json:SPEC`: a Kafka input. */
export async function addKafkaInput(ctx: ToolContext, spec: string): Promise<void> {
  checkKafkaSpec(spec);
  // libnmsg names the endpoint without its prefix in these lines.
  const addr = spec.slice(5);
  if (spec.startsWith("nmsg:")) {
    ctx.log(2, `nmsgtool: nmsg Kafka input: ${addr}`);
    try {
      ctx.inputs.push(
        await KafkaInput.open(spec, { ...kafkaOptions(ctx), ...inputFilters(ctx), name: addr }),
      );
    } catch (e) {
      throw endpointFailure("nmsg_input_open_kafka_endpoint", e);
    }
    return;
  }
  try {
    ctx.inputs.push(
      await KafkaJsonInput.open(spec, ctx.registry!, {
        ...kafkaOptions(ctx),
        name: addr,
        aliases: ctx.aliases,
      }),
    );
  } catch (e) {
    throw endpointFailure("nmsg_input_open_kafka_json", e);
  }
  ctx.log(2, `nmsgtool: nmsg Kafka json input: ${addr}`);
}

/** `--writekafka nmsg:|json:SPEC`: a Kafka output (8192-byte containers for `nmsg:`). */
export function addKafkaOutput(ctx: ToolContext, spec: string): void {
  checkKafkaSpec(spec);
  const addr = spec.slice(5);
  if (spec.startsWith("nmsg:")) {
    ctx.log(2, `nmsgtool: nmsg Kafka output: ${addr}`);
    ctx.outputs.push(openEndpoint("nmsg_output_open_kafka_endpoint", () =>
      KafkaOutput.open(spec, {
        ...kafkaOptions(ctx),
        ...ctx.stamp,
        name: addr,
        zlib: ctx.args.zlibout ? loadedZlib() : undefined,
        unbuffered: ctx.args.unbuffered,
      })));
    return;
  }
  ctx.outputs.push(
    openEndpoint("nmsg_output_open_kafka_json", () =>
      KafkaJsonOutput.open(spec, ctx.registry!, {
        ...kafkaOptions(ctx),
        ...ctx.stamp,
        name: addr,
        aliases: ctx.aliases,
        keyField: ctx.kafkaKey,
      })),
  );
  ctx.log(2, `nmsgtool: nmsg Kafka json output: ${addr}`);
}
