/**
 * Wires the hub's pieces from the template: router, bus (rules → functions), SNS (topics,
 * subscriptions), the stand-ins and the site. Separate from start-up so that tests can build
 * a hub server around fake functions and a fixture template.
 */
import type { ErrorDetail } from '../domain/errors.ts';
import type { Logger } from '../observability/log.ts';
import type { CfnTemplate } from './cfn-template.ts';
import type { LocalIssuer } from './cognito-issuer.ts';
import { HttpApiRouter, readHttpApiRoutes } from './http-api-routes.ts';
import { LOCAL_ACCOUNT, LOCAL_REGION, LOCAL_USER_POOL_ID } from './hub-env.ts';
import type { HubServerParts } from './hub-server.ts';
import { LocalBus, type LocalBusOptions, readBusRules } from './local-bus.ts';
import { LocalSns, readSubscriptions, readTopics } from './local-sns.ts';
import type { LocalRulesStore } from './rules-store.ts';
import { AppConfigDataStandIn } from './stand-ins/appconfigdata.ts';
import { CognitoIdpStandIn, readUserPoolGroups } from './stand-ins/cognito-idp.ts';
import { StaticSite } from './static-site.ts';
import { rulesPointer, rulesValidatorFunctions } from './venue-rules.ts';

export interface HubPartsInput {
  template: CfnTemplate;
  /** the bundles' environment (bus name, AppConfig identifiers, …) */
  env: Record<string, string>;
  issuer: LocalIssuer;
  rules: LocalRulesStore;
  /** runs a function of the template by logical id */
  invoke: (functionId: string, event: unknown) => Promise<unknown>;
  siteDir: string;
  siteConfig: () => Record<string, unknown>;
  logger: Logger;
  busOptions?: LocalBusOptions;
}

export function assembleHubParts(input: HubPartsInput): HubServerParts {
  const { template, env, rules, logger } = input;
  const bus = new LocalBus(readBusRules(template), input.invoke, { logger, ...input.busOptions });
  const busName = env.EVENT_BUS_NAME ?? 'default';
  return {
    issuer: input.issuer,
    router: new HttpApiRouter(readHttpApiRoutes(template)),
    invokeApi: (event) => input.invoke('VenueApiFunction', event),
    invokeFunction: input.invoke,
    cognitoIdp: new CognitoIdpStandIn(LOCAL_USER_POOL_ID, readUserPoolGroups(template)),
    eventBridge: {
      busNames: [busName, `arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT}:event-bus/${busName}`],
      account: LOCAL_ACCOUNT,
      region: LOCAL_REGION,
      deliver: (events) => bus.put(events),
    },
    bus,
    sns: new LocalSns(readTopics(template, LOCAL_REGION, LOCAL_ACCOUNT), readSubscriptions(template)),
    rules,
    runRulesValidators: rulesValidatorsOf(rulesValidatorFunctions(template), input.invoke, env, rules),
    appConfigData: new AppConfigDataStandIn({
      application: env.APPCONFIG_APPLICATION ?? '',
      environment: env.APPCONFIG_ENVIRONMENT ?? '',
      profile: env.APPCONFIG_PROFILE ?? '',
      current: () => rules.current(),
    }),
    site: new StaticSite(input.siteDir),
    siteConfig: input.siteConfig,
    bundleEnv: () => env,
    logger,
  };
}

/** A validator's own problems (`RulesRefused.problems`) as the 400's details; none if it has no well-formed ones. */
function refusalDetails(error: unknown): ErrorDetail[] {
  const problems =
    typeof error === 'object' && error !== null ? (error as { problems?: unknown }).problems : [];
  if (!Array.isArray(problems)) return [];
  return problems.flatMap((p: unknown) => {
    const { path, message } = (typeof p === 'object' && p !== null ? p : {}) as Record<string, unknown>;
    if (typeof path !== 'string' || typeof message !== 'string') return [];
    return [{ path: path === '' ? '/' : rulesPointer(path), message }];
  });
}

/**
 * Runs the rules profile's Lambda validators (functions of the template) on a document, with
 * the event AppConfig sends them; the first refusal ends it. The bundled validator throws its
 * problems with their dotted paths (`RulesRefused`), which come back as JSON pointers like the
 * schema's errors; any other failure of a validator (no well-formed problems, a crash, a
 * timeout) refuses the document with its message, as AppConfig stops a deployment whose
 * validator fails. Exported for its tests.
 */
export function rulesValidatorsOf(
  functionIds: readonly string[],
  invoke: HubPartsInput['invoke'],
  env: Record<string, string>,
  rules: LocalRulesStore,
): (document: unknown) => Promise<ErrorDetail[]> {
  return async (document) => {
    const event = {
      applicationId: env.APPCONFIG_APPLICATION ?? '',
      configurationProfileId: env.APPCONFIG_PROFILE ?? '',
      configurationVersion: rules.nextVersion(),
      content: Buffer.from(JSON.stringify(document)).toString('base64'),
      uri: 'hosted',
    };
    for (const functionId of functionIds) {
      try {
        await invoke(functionId, event);
      } catch (error) {
        const details = refusalDetails(error);
        if (details.length > 0) return details;
        // a refusal without well-formed problems (or a crash, a timeout) still refuses
        return [
          {
            path: '/',
            message: `${functionId} refused it: ${error instanceof Error ? error.message : String(error)}`,
          },
        ];
      }
    }
    return [];
  };
}
