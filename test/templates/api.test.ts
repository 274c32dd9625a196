/**
 * Auditor: the HTTP API and its functions. The route set is exactly DESIGN.md §3 (21 routes),
 * a shopper's own tickets (ADR 0415), a slot's reservations (ADR 0416) and a venue's public
 * profile (ADR 0417); exactly routes 1–5 and the profile are public and every other route sits
 * behind the JWT authorizer
 * (checkov CKV_AWS_95 / cfn-nag W46 for logging, ours for route auth); the functions follow
 * the platform conventions (runtime, arm64, tracing, the `npm run build` bundle through the
 * Makefile, alias + canary with alarms).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { BUNDLE_ENTRY_POINTS } from '../../src/local/bundles.ts';
import { REPO_ROOT } from '../../src/local/dynamodb-local.ts';
import { asArray, type Json, ROOT, references, resource, resourcesOf } from '../helpers/templates.ts';

const makefile = readFileSync(join(REPO_ROOT, 'Makefile'), 'utf8');

/** DESIGN.md §3, in order. */
const ROUTES = [
  'GET /health',
  'GET /venues/{venueId}/events',
  'GET /venues/{venueId}/products',
  'GET /events/{eventId}',
  'GET /venues/{venueId}/pickup-slots',
  'POST /events/{eventId}/reservations',
  'GET /me/reservations',
  'DELETE /reservations/{reservationId}',
  'POST /pickup-slots/{slotId}/bookings',
  'POST /reservations/{reservationId}/check-in',
  'POST /venues/{venueId}/queue/tickets',
  'GET /queue/tickets/{ticketId}',
  'DELETE /queue/tickets/{ticketId}',
  'GET /me/preferences',
  'PUT /me/preferences',
  'POST /venues/{venueId}/events',
  'PATCH /events/{eventId}',
  'POST /venues/{venueId}/pickup-slots',
  'GET /venues/{venueId}/queue',
  'POST /venues/{venueId}/lanes/{laneId}/call-next',
  'POST /queue/tickets/{ticketId}/complete',
  // beyond DESIGN.md §3 (ADR 0415, ADR 0416, ADR 0417)
  'GET /me/queue/tickets',
  'GET /pickup-slots/{slotId}/reservations',
  'GET /venues/{venueId}',
];
const PUBLIC = [...ROUTES.slice(0, 5), 'GET /venues/{venueId}'];

interface Route {
  key: string;
  authorizer?: string;
  apiRefs: string[];
}

function httpApiRoutes(): Route[] {
  return resourcesOf('AWS::Serverless::Function').flatMap((fn) =>
    Object.values((fn.props.Events ?? {}) as Record<string, Json>)
      .filter((event) => event.Type === 'HttpApi')
      .map((event) => {
        const p = event.Properties as Json;
        return {
          key: `${p.Method} ${p.Path}`,
          authorizer: (p.Auth as Json | undefined)?.Authorizer as string | undefined,
          apiRefs: references(p.ApiId),
        };
      }),
  );
}

const api = resource('template.yaml', 'HttpApi');
const auth = api.props.Auth as Json;

describe('HTTP API', () => {
  it('has exactly the 21 routes of DESIGN.md §3 and those of ADR 0415, 0416 and 0417, all on HttpApi and served by VenueApiFunction', () => {
    const routes = httpApiRoutes();
    assert.deepEqual(routes.map((r) => r.key).sort(), [...ROUTES].sort());
    for (const route of routes) assert.deepEqual(route.apiRefs, ['HttpApi'], route.key);
    const events = resource('template.yaml', 'VenueApiFunction').props.Events as Record<string, Json>;
    assert.equal(Object.keys(events).length, ROUTES.length);
  });

  it('makes exactly routes 1–5 and the venue profile public; every other route uses the default JWT authorizer', () => {
    const routes = httpApiRoutes();
    assert.deepEqual(
      routes
        .filter((r) => r.authorizer === 'NONE')
        .map((r) => r.key)
        .sort(),
      [...PUBLIC].sort(),
    );
    for (const route of routes.filter((r) => !PUBLIC.includes(r.key))) {
      assert.ok(route.authorizer === undefined || route.authorizer === 'CognitoJwt', route.key);
    }
    assert.equal(auth.DefaultAuthorizer, 'CognitoJwt');
  });

  it('verifies Cognito access tokens of the site client (issuer = the pool)', () => {
    const jwt = (auth.Authorizers as Record<string, Json>).CognitoJwt as Json;
    assert.equal(jwt.IdentitySource, '$request.header.Authorization');
    const config = jwt.JwtConfiguration as Json;
    assert.match(
      JSON.stringify(config.issuer),
      /https:\/\/cognito-idp\.\$\{AWS::Region\}\.amazonaws\.com\/\$\{UserPool\}/,
    );
    assert.deepEqual(references(config.audience), ['SiteClient']);
  });

  it('logs access to an encrypted log group with retention, and throttles by default', () => {
    const logs = api.props.AccessLogSettings as Json;
    const [group] = references(logs.DestinationArn);
    const props = resource('template.yaml', group!).props;
    assert.deepEqual(references(props.KmsKeyId), ['AppKey']);
    assert.deepEqual(references(props.RetentionInDays), ['LogRetentionDays']);
    assert.match(String(logs.Format), /\$context\.requestId/);
    const throttling = api.props.DefaultRouteSettings as Json;
    assert.ok(Number(throttling.ThrottlingBurstLimit) > 0 && Number(throttling.ThrottlingRateLimit) > 0);
  });

  it('allows CORS from the site origin only, with the headers the API reads', () => {
    const cors = api.props.CorsConfiguration as Json;
    const origins = asArray(cors.AllowOrigins as unknown[]);
    assert.equal(origins.length, 1);
    assert.ok(!JSON.stringify(origins).includes('"*"'));
    assert.ok(references(origins).includes('SiteDistribution'));
    assert.deepEqual([...(cors.AllowHeaders as string[])].sort(), [
      'authorization',
      'content-type',
      'idempotency-key',
    ]);
  });
});

const FUNCTIONS = {
  VenueApiFunction: 'src/handlers/venue-api.ts',
  NotificationFanoutFunction: 'src/handlers/notification-fanout.ts',
  PostConfirmationFunction: 'src/handlers/post-confirmation.ts',
  RulesValidatorFunction: 'src/handlers/rules-validator.ts',
  OutboxSweeperFunction: 'src/handlers/outbox-sweeper.ts',
};

describe('functions', () => {
  const globals = (ROOT.Globals?.Function ?? {}) as Json;
  const setting = (props: Json, key: string) => props[key] ?? globals[key];

  it('are exactly the three handlers of the contracts, the rules validator (ADR 0506) and the outbox sweeper (ADR 0311)', () => {
    assert.deepEqual(
      resourcesOf('AWS::Serverless::Function')
        .map((f) => f.id)
        .sort(),
      Object.keys(FUNCTIONS).sort(),
    );
    assert.deepEqual(resourcesOf('AWS::Lambda::Function'), []);
  });

  for (const [id, entry] of Object.entries(FUNCTIONS)) {
    it(`${id}: nodejs22.x on arm64, traced, shipping the npm run build bundle of ${entry}`, () => {
      const fn = resource('template.yaml', id);
      assert.equal(setting(fn.props, 'Runtime'), 'nodejs22.x');
      assert.deepEqual(setting(fn.props, 'Architectures'), ['arm64']);
      assert.equal(setting(fn.props, 'Tracing'), 'Active');
      // sam build runs the Makefile target, which builds this function's bundle with
      // scripts/build.ts and ships its folder (index.mjs + chunks): ADR 0910.
      assert.equal((fn.resource.Metadata as Json).BuildMethod, 'makefile');
      const bundle = entry.split('/').pop()!.replace(/\.ts$/, '');
      assert.equal(BUNDLE_ENTRY_POINTS[bundle as keyof typeof BUNDLE_ENTRY_POINTS], entry);
      const target = makefile.split(/\n(?=\S)/).find((block) => block.startsWith(`build-${id}:`));
      assert.ok(target, `Makefile has no build-${id} target`);
      assert.match(target, new RegExp(`scripts/build\\.ts ${bundle}\\n`));
      assert.match(target, new RegExp(`cp -R dist/${bundle}/\\. "\\$\\(ARTIFACTS_DIR\\)"`));
      assert.equal(fn.props.Handler, 'index.handler');
      assert.ok(Number(fn.props.ReservedConcurrentExecutions) > 0, 'reserved concurrency');
    });

    it(`${id}: alias with a canary deployment that alarms roll back`, () => {
      const fn = resource('template.yaml', id);
      assert.equal(setting(fn.props, 'AutoPublishAlias'), 'live');
      const preference = fn.props.DeploymentPreference as Json;
      assert.deepEqual(references(preference.Type), ['LambdaDeploymentType']);
      assert.match(String(ROOT.Parameters?.LambdaDeploymentType?.Default), /^Canary/);
      const alarms = asArray(preference.Alarms as unknown[]).flatMap(references);
      assert.ok(alarms.length > 0);
      for (const alarm of alarms)
        assert.equal(resource('template.yaml', alarm).resource.Type, 'AWS::CloudWatch::Alarm');
    });

    it(`${id}: logs to its own encrypted log group with retention`, () => {
      const fn = resource('template.yaml', id);
      const [group] = references((fn.props.LoggingConfig as Json).LogGroup);
      const props = resource('template.yaml', group!).props;
      assert.deepEqual(references(props.KmsKeyId), ['AppKey']);
      assert.deepEqual(references(props.RetentionInDays), ['LogRetentionDays']);
    });
  }

  it('carry the environment of src/config/env.ts that each one reads', () => {
    const env = (id: string) =>
      Object.keys(((resource('template.yaml', id).props.Environment as Json).Variables as Json) ?? {});
    const tables = [
      'EVENTS_TABLE',
      'RESERVATIONS_TABLE',
      'PICKUP_SLOTS_TABLE',
      'QUEUE_STATE_TABLE',
      'PREFERENCES_TABLE',
    ];
    for (const name of [
      ...tables,
      'JWT_ISSUER',
      'JWT_CLIENT_ID',
      'APPCONFIG_APPLICATION',
      'APPCONFIG_ENVIRONMENT',
      'APPCONFIG_PROFILE',
      'EVENT_BUS_NAME',
    ]) {
      assert.ok(env('VenueApiFunction').includes(name), `VenueApiFunction ${name}`);
    }
    for (const name of [...tables, 'SHOPPER_TOPIC_ARN', 'OPERATOR_TOPIC_ARN']) {
      assert.ok(env('NotificationFanoutFunction').includes(name), `NotificationFanoutFunction ${name}`);
    }
    for (const name of [...tables, 'EVENT_BUS_NAME', 'OUTBOX_GRACE_SECONDS']) {
      assert.ok(env('OutboxSweeperFunction').includes(name), `OutboxSweeperFunction ${name}`);
    }
  });

  it('leave an event to the API until the request that wrote it has ended, and sweep within the minute', () => {
    const sweeper = resource('template.yaml', 'OutboxSweeperFunction').props;
    const grace = Number(((sweeper.Environment as Json).Variables as Json).OUTBOX_GRACE_SECONDS);
    const apiTimeout = Number(setting(resource('template.yaml', 'VenueApiFunction').props, 'Timeout'));
    assert.ok(apiTimeout > 0 && grace > apiTimeout, `grace ${grace} s, venue-api timeout ${apiTimeout} s`);
    assert.ok(Number(setting(sweeper, 'Timeout')) < 60, 'one sweep ends before the next minute’s');
    assert.equal(sweeper.ReservedConcurrentExecutions, 1, 'one sweep at a time');
  });

  it('keep no secrets in environment variables', () => {
    for (const fn of resourcesOf('AWS::Serverless::Function')) {
      const names = Object.keys(((fn.props.Environment as Json | undefined)?.Variables as Json) ?? {});
      for (const n of names) assert.doesNotMatch(n, /SECRET|PASSWORD|PRIVATE_KEY|TOKEN$/, `${fn.id} ${n}`);
    }
  });
});

describe('Cognito', () => {
  it('has the groups shoppers and operators, and self sign-up with a verified email', () => {
    const groups = resourcesOf('AWS::Cognito::UserPoolGroup')
      .map((g) => g.props.GroupName)
      .sort();
    assert.deepEqual(groups, ['operators', 'shoppers']);
    const pool = resource('template.yaml', 'UserPool').props;
    assert.deepEqual(pool.AutoVerifiedAttributes, ['email']);
    assert.equal((pool.AdminCreateUserConfig as Json).AllowAdminCreateUserOnly, false);
    assert.ok(Number(((pool.Policies as Json).PasswordPolicy as Json).MinimumLength) >= 12);
    assert.deepEqual(references((pool.LambdaConfig as Json).PostConfirmation), ['PostConfirmationFunction']);
  });

  it('has a public site client: authorization code (PKCE), no secret, no implicit flow', () => {
    const client = resource('template.yaml', 'SiteClient').props;
    assert.equal(client.GenerateSecret, false);
    assert.deepEqual(client.AllowedOAuthFlows, ['code']);
    assert.ok(!(client.ExplicitAuthFlows as string[]).includes('ALLOW_USER_PASSWORD_AUTH'));
    assert.equal(client.PreventUserExistenceErrors, 'ENABLED');
  });

  it('lets only this pool invoke the trigger', () => {
    const permission = resource('template.yaml', 'PostConfirmationInvokePermission').props;
    assert.equal(permission.Principal, 'cognito-idp.amazonaws.com');
    assert.deepEqual(references(permission.SourceArn), ['UserPool']);
  });
});
