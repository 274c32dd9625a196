/**
 * Structured JSON logs and CloudWatch embedded-metric-format (EMF) metrics, written to stdout
 * (Lambda and ECS ship stdout to CloudWatch Logs). Log fields never carry personal data:
 * ids, routes, codes and timings only.
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** a logger that adds these fields to every line */
  child(fields: Record<string, unknown>): Logger;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogSink = (line: string) => void;

/** A logger for one component (`venue-api`, `worker`, …). */
export function createLogger(
  service: string,
  options: { level?: LogLevel; sink?: LogSink; fields?: Record<string, unknown> } = {},
): Logger {
  const min = ORDER[options.level ?? 'info'];
  const sink = options.sink ?? ((line: string) => process.stdout.write(`${line}\n`));
  const base = { service, ...options.fields };
  const write = (level: LogLevel, message: string, fields?: Record<string, unknown>) => {
    if (ORDER[level] < min) return;
    sink(JSON.stringify({ level, time: new Date().toISOString(), message, ...base, ...fields }));
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    child: (fields) => createLogger(service, { ...options, fields: { ...options.fields, ...fields } }),
  };
}

/** An error's name for a log field (errors are logged by name, never serialized). */
export function errorName(error: unknown): string {
  return error instanceof Error ? error.name : 'UnknownError';
}

export type MetricUnit = 'Count' | 'Milliseconds' | 'None';

/**
 * Emits one EMF record: CloudWatch turns the named values into metrics under `namespace`
 * with the given dimensions.
 */
export function emitMetrics(
  namespace: string,
  dimensions: Record<string, string>,
  metrics: Record<string, { value: number; unit: MetricUnit }>,
  sink: LogSink = (line) => process.stdout.write(`${line}\n`),
): void {
  sink(
    JSON.stringify({
      _aws: {
        Timestamp: Date.now(),
        CloudWatchMetrics: [
          {
            Namespace: namespace,
            Dimensions: [Object.keys(dimensions)],
            Metrics: Object.entries(metrics).map(([Name, m]) => ({ Name, Unit: m.unit })),
          },
        ],
      },
      ...dimensions,
      ...Object.fromEntries(Object.entries(metrics).map(([name, m]) => [name, m.value])),
    }),
  );
}
