/**
 * What `npm run bench:api` reads back from the hub after a load: the handler's own latency per
 * route (its request log lines), and, from the store itself, whether any event was overbooked.
 */
import { readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';

/** The handler's own latency per route, from the venue-api request log lines in the hub log. */
export function handlerTimes(
  logFile: string,
  since: number,
  until = Number.POSITIVE_INFINITY,
): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const line of readFileSync(logFile, 'utf8').split('\n')) {
    if (!line.includes('"message":"request"') || !line.includes('"service":"venue-api"')) continue;
    const entry = JSON.parse(line) as { time: string; route: string; latencyMs: number };
    const at = Date.parse(entry.time);
    if (at < since || at > until) continue;
    out.set(entry.route, [...(out.get(entry.route) ?? []), entry.latencyMs]);
  }
  return out;
}

/** Invocations the hub cut off at the function's timeout (answered 500, as a Lambda timeout is). */
export function functionTimeouts(logFile: string, since: number): number {
  return readFileSync(logFile, 'utf8')
    .split('\n')
    .filter((line) => line.includes('FunctionTimeout') && line.includes('venue-api invocation failed'))
    .filter((line) => Date.parse((JSON.parse(line) as { time: string }).time) >= since).length;
}

/**
 * From the store: confirmed seats per event ≤ capacity, and the counter equals them. Scans are
 * not isolated from transactions, and the hub may still finish requests the load generator
 * gave up on, so the check is repeated until two consecutive scans agree.
 */
export async function overbooking(env: Record<string, string>, eventIds: string[]): Promise<string[]> {
  let previous = '';
  for (let round = 0; round < 30; round++) {
    const problems = await overbookingOnce(env, eventIds);
    const key = JSON.stringify(problems);
    if (key === previous) return problems;
    previous = key;
    await new Promise((r) => setTimeout(r, 2000));
  }
  return [`the store did not settle: ${previous}`];
}

async function overbookingOnce(env: Record<string, string>, eventIds: string[]): Promise<string[]> {
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: env.DYNAMODB_ENDPOINT,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
  const scan = async (table: string) => {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await client.send(
        new ScanCommand({ TableName: table, ExclusiveStartKey: start as never }),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  };
  const events = await scan(env.EVENTS_TABLE as string);
  const reservations = await scan(env.RESERVATIONS_TABLE as string);
  client.destroy();
  const problems: string[] = [];
  for (const id of eventIds) {
    const item = events.find((e) => e.eventId === id);
    const seats = reservations
      .filter(
        (r) =>
          r.eventId === id &&
          typeof r.reservationId === 'string' &&
          ['confirmed', 'checked_in', 'completed'].includes(String(r.status)),
      )
      .reduce((sum, r) => sum + Number(r.partySize), 0);
    if (!item) problems.push(`${id}: event missing`);
    else if (seats > Number(item.capacity))
      problems.push(`${id}: ${seats} seats for capacity ${item.capacity}`);
    else if (seats !== Number(item.booked))
      problems.push(`${id}: counter ${item.booked} ≠ ${seats} seats reserved`);
  }
  return problems;
}
