import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { declaredVariables, samEnvVars, VARIABLE_OUTPUTS } from '../../scripts/sam-local-env.ts';
import { ROOT } from '../helpers/templates.ts';

describe('sam local env-vars', () => {
  const functions = declaredVariables();

  it('has a stack output in template.yaml for every variable it maps', () => {
    for (const output of Object.values(VARIABLE_OUTPUTS)) assert.ok(output in (ROOT.Outputs ?? {}), output);
  });

  it('covers every resource-specific variable the functions declare', () => {
    const generic = new Set(['NODE_OPTIONS']);
    // a literal value (OUTBOX_GRACE_SECONDS: '15') is one sam local reads from the template itself
    const literal = (fn: string, v: string) => {
      const environment = ROOT.Resources[fn]?.Properties?.Environment as
        | { Variables?: Record<string, unknown> }
        | undefined;
      return typeof environment?.Variables?.[v] === 'string';
    };
    for (const [fn, variables] of Object.entries(functions)) {
      for (const v of variables)
        assert.ok(generic.has(v) || literal(fn, v) || v in VARIABLE_OUTPUTS, `${fn} ${v}`);
    }
    assert.ok(literal('OutboxSweeperFunction', 'OUTBOX_GRACE_SECONDS'));
    assert.ok(!literal('OutboxSweeperFunction', 'EVENT_BUS_NAME'));
  });

  it('fills each function with the values of its outputs', () => {
    const outputs = Object.fromEntries(Object.values(VARIABLE_OUTPUTS).map((o) => [o, `value-of-${o}`]));
    const env = samEnvVars(functions, outputs);
    assert.equal(env.VenueApiFunction?.EVENTS_TABLE, 'value-of-EventsTableName');
    assert.equal(env.VenueApiFunction?.JWT_ISSUER, 'value-of-UserPoolIssuer');
    assert.equal(env.NotificationFanoutFunction?.SHOPPER_TOPIC_ARN, 'value-of-ShopperTopicArn');
    assert.deepEqual(env.PostConfirmationFunction, {});
  });

  it('names the missing output instead of writing an empty value', () => {
    assert.throws(() => samEnvVars({ VenueApiFunction: ['EVENTS_TABLE'] }, {}), /EventsTableName/);
  });
});
