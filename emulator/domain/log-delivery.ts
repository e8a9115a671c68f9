// Log delivery (SetLogDeliveryConfiguration): where a pool would export its logs, checked as
// Cognito checks it, stored and described. Nothing is delivered: offline there is no CloudWatch
// Logs, S3 or Firehose to deliver to (docs/pool-settings.md, docs/decisions/0026).
import type { LogConfigurationType } from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../core/errors.js";
import type { Wire } from "../core/wire.js";
import type { StoredPool } from "../store/types.js";

type LogConfiguration = Wire<LogConfigurationType>;

/** The destinations of a log configuration: its member, the ARN member inside, the ARN's service. */
const DESTINATIONS = [
  { member: "CloudWatchLogsConfiguration", arn: "LogGroupArn", service: "logs", label: "CloudWatch Logs log group" },
  { member: "S3Configuration", arn: "BucketArn", service: "s3", label: "S3 bucket" },
  { member: "FirehoseConfiguration", arn: "StreamArn", service: "firehose", label: "Data Firehose stream" },
] as const;

type Destination = (typeof DESTINATIONS)[number];

/**
 * What each event source allows (the model's LogConfigurationType docs): message-delivery errors
 * (`userNotification`) at ERROR to CloudWatch Logs; threat protection's user activity
 * (`userAuthEvents`) at INFO to any of the three, on the Plus feature plan only.
 */
const SOURCES: Record<string, { level: string; destinations: readonly Destination["member"][] }> = {
  userNotification: { level: "ERROR", destinations: ["CloudWatchLogsConfiguration"] },
  userAuthEvents: {
    level: "INFO",
    destinations: ["CloudWatchLogsConfiguration", "S3Configuration", "FirehoseConfiguration"],
  },
};

/** The one destination of a configuration, after checking there is exactly one and its ARN's service. */
function destinationOf(config: LogConfiguration): { destination: Destination; arn: string } {
  const present = DESTINATIONS.filter((d) => config[d.member] !== undefined);
  if (present.length !== 1) throw errors.logDestinationCount(config.EventSource!);
  const destination = present[0]!;
  const arn = (config[destination.member] as Record<string, string | undefined>)[destination.arn];
  // arn:<partition>:<service>:... (S3 bucket ARNs have no region or account: arn:aws:s3:::bucket).
  if (!arn || arn.split(":")[2] !== destination.service || !arn.startsWith("arn:"))
    throw errors.logDestinationArn(`${destination.member}.${destination.arn}`, destination.label);
  return { destination, arn };
}

/**
 * Checks SetLogDeliveryConfiguration's LogConfigurations (at most two, by the model) and answers
 * them as they will be stored and described. Each event source at most once.
 */
export function checkLogConfigurations(pool: StoredPool, configs: readonly LogConfiguration[]): LogConfiguration[] {
  const seen = new Set<string>();
  const out: LogConfiguration[] = [];
  for (const config of configs) {
    const source = config.EventSource!;
    if (seen.has(source)) throw errors.logEventSourceTwice(source);
    seen.add(source);
    const rule = SOURCES[source];
    // The model's enum has only these two; a new one would reach here as unknown.
    if (!rule) throw errors.logConfigurationNotAllowed(source, "userNotification or userAuthEvents");
    if (config.LogLevel !== rule.level) throw errors.logConfigurationNotAllowed(source, `LogLevel ${rule.level}`);
    const { destination, arn } = destinationOf(config);
    if (!rule.destinations.includes(destination.member))
      throw errors.logConfigurationNotAllowed(source, rule.destinations.join(" or "));
    const tier = pool.pool.UserPoolTier ?? "ESSENTIALS";
    if (source === "userAuthEvents" && tier !== "PLUS") throw errors.logExportNeedsPlus(tier);
    out.push({
      LogLevel: config.LogLevel,
      EventSource: config.EventSource,
      [destination.member]: { [destination.arn]: arn },
    });
  }
  return out;
}

/** The pool with its log configurations replaced (none: the key is dropped). */
export function poolWithLogDelivery(pool: StoredPool, configs: readonly LogConfiguration[]): StoredPool {
  const { logDelivery: _old, ...base } = pool;
  return configs.length > 0 ? { ...base, logDelivery: [...configs] } : base;
}

/** One line for the emulator's log: what was configured, and that none of it will be delivered. */
export function logDeliveryNotice(poolId: string, configs: readonly LogConfiguration[]): string {
  if (configs.length === 0) return `log delivery for ${poolId}: cleared`;
  const parts = configs.map((c) => {
    const d = DESTINATIONS.find((x) => c[x.member] !== undefined)!;
    return `${c.EventSource} ${c.LogLevel} -> ${(c[d.member] as Record<string, string>)[d.arn]}`;
  });
  return `log delivery for ${poolId}: ${parts.join("; ")} (stored and described; cognito-twin delivers no logs offline)`;
}
