/**
 * `npm run bench:ticket-get`: what a shopper's GET of a planned ticket costs in the store while
 * hundreds or thousands wait: its live position read from its lane plan (index byLanePlan,
 * `QueueService.withLivePosition`) against the read it replaced, the venue's whole queue
 * (`listActive` + `livePositions`), run alternately in this process on the same tickets of
 * DynamoDB Local (in memory): 40 lanes as in the surge, every ticket planned.
 *
 *   npm run bench:ticket-get [-- --rounds 5]
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
import { machine } from './bench-measures.ts';
import { SURGE_KINDS, SURGE_LANES } from './bench-venue.ts';

const at = process.argv.indexOf('--rounds');
const ROUNDS = at >= 0 ? Number(process.argv[at + 1]) : 5;
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
  const tables = await createTables(dynamo.endpoint, { AppName: 'bench', Stage: 'ticketget' });
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
  const service = new QueueService({
    stores: counted,
    rules,
    publisher: {
      publish: async () => {
        throw new Error('a GET publishes nothing');
      },
    },
    clock: { now: () => NOW },
    logger: createLogger('bench', { level: 'error' }),
  });

  console.log(
    `# A planned ticket's GET: its lane plan against the whole queue\n\nMachine: ${machine()}; DynamoDB Local in memory; ${ROUNDS} alternated rounds over ${SAMPLED} tickets spread through the queue, medians per GET.\n`,
  );
  console.log('| tickets waiting | whole queue (ms) | lane plan (ms) | ratio |');
  console.log('|---|---|---|---|');
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
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const [w, l] = [median(whole), median(lane)];
    console.log(`| ${n} | ${w.toFixed(1)} | ${l.toFixed(1)} | ${(l / w).toFixed(3)} |`);
  }
} finally {
  await dynamo.stop();
}
