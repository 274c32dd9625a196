/**
 * The security suites' test bed: the venue-api over the real DynamoDB adapters (DynamoDB
 * Local, fresh tables per file), the venue rules deployed by template.yaml, and callers with
 * unique identities, so that per-user caps and guards never leak from one case into the next.
 */
import { randomUUID } from 'node:crypto';
import type { RulesDocument } from '../../src/domain/rules.ts';
import { loadVenueRulesFromTemplate } from '../../src/local/venue-rules.ts';
import { type StoreFixture, useStores } from '../adapters/dynamodb/fixtures.ts';
import {
  type CallOptions,
  createHarness,
  type Harness,
  mintToken,
  type Reply,
} from '../helpers/api-harness.ts';

/** Someone holding a valid access token. */
export interface Person {
  sub: string;
  token: string;
}

/** A new identity: its own `sub`, the given groups. */
export async function person(label: string, groups: string[] = ['shoppers']): Promise<Person> {
  const sub = `${label}-${randomUUID()}`;
  return { sub, token: await mintToken({ sub, groups }) };
}

/** The rules of template.yaml, plus a second venue cloned from the demo one. */
export function deployedRules(): RulesDocument {
  const { document } = loadVenueRulesFromTemplate();
  const demo = document.venues['flagship-001'];
  if (!demo) throw new Error('template.yaml has no flagship-001 venue');
  return { ...document, venues: { ...document.venues, 'flagship-002': { ...demo, name: 'Second store' } } };
}

export interface SecureBed {
  h: Harness;
  /** the tables and a raw client, to look at what was stored */
  db: StoreFixture;
  /** calls as `who` (undefined: anonymous) */
  as(who: Person | undefined, method: string, target: string, options?: CallOptions): Promise<Reply>;
}

/** The API over DynamoDB Local; call at the top level of a test file (not inside a hook). */
export async function dynamoBed(rules: RulesDocument = deployedRules(), now?: string): Promise<SecureBed> {
  const db = await useStores();
  const h = await createHarness({ stores: db.stores, rules, ...(now ? { now } : {}) });
  return {
    h,
    db,
    as: (who, method, target, options = {}) =>
      h.call(method, target, { ...options, ...(who ? { token: who.token } : {}) }),
  };
}
