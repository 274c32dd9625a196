/**
 * `npm run bench:lane-plan`: what reading a lane's plan (index byLanePlan, ADR 0414) saves
 * against reading the venue's whole queue, on DynamoDB Local (in memory): 40 lanes as in the
 * surge, every ticket planned, run alternately in this process.
 * - A shopper's GET of a planned ticket (`QueueService.withLivePosition`) against the read it
 *   replaced (`listActive` + `livePositions`), on tickets spread through the queue.
 * - An operator's call-next (`QueueService.callNext`) against the same service made to read
 *   the whole queue (its lane plan reads come back empty), on lanes of their own.
 *
 *   npm run bench:lane-plan [-- --rounds 5]
 */
import { performance } from 'node:perf_hooks';
import { mapLimit } from '../src/adapters/dynamodb/db.ts';
import { createDocumentClient, createDynamoStores } from '../src/adapters/dynamodb/index.ts';
import type { QueueTicket } from '../src/domain/model.ts';
import type { PlanAssignment, RulesProvider } from '../src/domain/ports.ts';
import { createTables, startDynamoDbLocal } from '../src/local/dynamodb-local.ts';
import { createLogger } from '../src/observability/log.ts';
import { QueueService } from '../src/services/queue.ts';
import { livePositions } from '../src/services/queue-position.ts';
import { demoRules } from '../test/fakes/demo-rules.ts';
import { machine, median, roundsArg } from './bench-measures.ts';
import { SURGE_KINDS, SURGE_LANES } from './bench-venue.ts';

const ROUNDS = roundsArg(process.argv, 5);
const SAMPLED = 20;
const NOW = new Date('2026-12-01T15:00:00.000Z');

const document = demoRules({
  lanes: SURGE_LANES,
});
const venue = document.venues['flagship-001']!;

process.env.AWS_ACCESS_KEY_ID ??= 'local';
process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
const dynamo = await startDynamoDbLocal();
try {
  const tables = await createTables(dynamo.endpoint, { AppName: 'bench', Stage: 'laneplan' });
  const stores = createDynamoStores(createDocumentClient(dynamo.endpoint), tables);
  const SIZES = [500, 2000, 5000];
  // one venue per queue size, each with the surge's lanes
  const snapshot = {
    document: { ...document, venues: Object.fromEntries(SIZES.map((n) => [`bench-${n}`, venue])) },
    version: '1',
  };
  const rules: RulesProvider = { current: async () => snapshot };
  // the lane plan's GETs must not fall back to the whole queue: counted, and checked below
  let wholeQueueReads = 0;
  const counted = {
    ...stores,
    queue: Object.assign(Object.create(stores.queue) as typeof stores.queue, {
      listActive: (venueId: string) => {
        wholeQueueReads++;
        return stores.queue.listActive(venueId);
      },
    }),
  };
  const serviceOn = (queue: typeof stores.queue) =>
    new QueueService({
      stores: { ...stores, queue },
      rules,
      publisher: {
        publish: async () => {
          throw new Error('a GET or a call publishes nothing');
        },
      },
      clock: { now: () => NOW },
      logger: createLogger('bench', { level: 'error' }),
    });
  const service = serviceOn(counted.queue);
  // the baseline: the same service when no lane plan can be read, as before ADR 0414
  const wholeQueueService = serviceOn(
    Object.assign(Object.create(stores.queue) as typeof stores.queue, { lanePlanHead: async () => [] }),
  );
  const rows = { get: [] as string[], call: [] as string[] };

  for (const n of SIZES) {
    const venueId = `bench-${n}`;
    const tickets: QueueTicket[] = Array.from({ length: n }, (_, i) => ({
      ticketId: `${venueId}-t${i}`,
      venueId,
      userId: `u${i}`,
      serviceKind: SURGE_KINDS[i % SURGE_KINDS.length]!,
      partySize: 1,
      accessibility: false,
      status: 'waiting',
      joinedAt: new Date(NOW.getTime() - (n - i) * 1000).toISOString(),
    }));
    await mapLimit(tickets, 16, (ticket) => stores.queue.join({ ticket, maxLength: n, maxJoinsPerHour: 10 }));
    // round robin over the lanes that serve each kind, as a plan spreads a class
    const eligible = (kind: string) => venue.lanes.filter((l) => l.serviceKinds.includes(kind));
    const next = new Map<string, number>();
    const assignments: PlanAssignment[] = tickets.map((t, i) => {
      const options = eligible(t.serviceKind);
      const lane = options[i % options.length]!;
      const position = (next.get(lane.laneId) ?? 0) + 1;
      next.set(lane.laneId, position);
      return {
        ticketId: t.ticketId,
        version: 1,
        laneId: lane.laneId,
        position,
        etaAt: new Date(NOW.getTime() + position * 180_000).toISOString(),
      };
    });
    await stores.queue.applyPlan(venueId, assignments);
    const sampled = await Promise.all(
      Array.from({ length: SAMPLED }, (_, k) =>
        stores.queue.get(tickets[Math.floor(((k + 0.5) * n) / SAMPLED)]!.ticketId),
      ),
    );
    const whole: number[] = [];
    const lane: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      for (const ticket of sampled) {
        const t = ticket!;
        let started = performance.now();
        const viaQueue = livePositions(await stores.queue.listActive(venueId), venue, NOW).get(t.ticketId);
        whole.push(performance.now() - started);
        const reads = wholeQueueReads;
        started = performance.now();
        const viaLane = await service.withLivePosition(t);
        lane.push(performance.now() - started);
        if (wholeQueueReads !== reads) throw new Error(`${t.ticketId}: the GET read the whole queue`);
        if (viaQueue?.position !== viaLane.position) {
          throw new Error(
            `${t.ticketId}: position ${viaLane.position}, the whole queue says ${viaQueue?.position}`,
          );
        }
      }
    }
    const [w, l] = [median(whole), median(lane)];
    rows.get.push(`| ${n} | ${w.toFixed(1)} | ${l.toFixed(1)} | ${(l / w).toFixed(3)} |`);

    // call-next on lanes of their own: S1–S4 from the lane plan, S5–S8 from the whole queue
    const calls = { plan: [] as number[], queue: [] as number[] };
    for (let r = 0; r < ROUNDS; r++) {
      for (let k = 1; k <= 4; k++) {
        const reads = wholeQueueReads;
        let started = performance.now();
        const fromPlan = await service.callNext(venueId, `S${k}`);
        calls.plan.push(performance.now() - started);
        if (wholeQueueReads !== reads) throw new Error(`S${k}: call-next read the whole queue`);
        started = performance.now();
        const fromQueue = await wholeQueueService.callNext(venueId, `S${k + 4}`);
        calls.queue.push(performance.now() - started);
        if (fromPlan === undefined || fromQueue === undefined) throw new Error('call-next found nobody');
      }
    }
    const [q, p] = [median(calls.queue), median(calls.plan)];
    rows.call.push(`| ${n} | ${q.toFixed(1)} | ${p.toFixed(1)} | ${(p / q).toFixed(3)} |`);
  }
  console.log(
    `# Lane plan reads against whole-queue reads\n\nMachine: ${machine()}; DynamoDB Local in memory; ${ROUNDS} alternated rounds, medians.\n`,
  );
  console.log(`## A planned ticket's GET (${SAMPLED} tickets spread through the queue)\n`);
  console.log('| tickets waiting | whole queue (ms) | lane plan (ms) | ratio |');
  console.log('|---|---|---|---|');
  for (const row of rows.get) console.log(row);
  console.log('\n## Call-next (4 lanes each way)\n');
  console.log('| tickets waiting | whole queue (ms) | lane plan (ms) | ratio |');
  console.log('|---|---|---|---|');
  for (const row of rows.call) console.log(row);
} finally {
  await dynamo.stop();
}
