/**
 * `sam local start-api` / `sam local invoke` against a deployed stack: SAM cannot resolve the
 * functions' environment (nested-stack outputs, generated ids), so this writes the env-vars
 * file it takes, from the stack's outputs (AWS CLI and your credentials).
 *
 *   npx tsx scripts/sam-local-env.ts [stack-name]     → .aws-sam/env.json
 *   sam local start-api --env-vars .aws-sam/env.json
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadTemplate, resourcesOfType } from '../src/local/cfn-template.ts';
import { REPO_ROOT } from './build.ts';

/** Environment variable → stack output holding its value. */
export const VARIABLE_OUTPUTS: Record<string, string> = {
  EVENTS_TABLE: 'EventsTableName',
  RESERVATIONS_TABLE: 'ReservationsTableName',
  PICKUP_SLOTS_TABLE: 'PickupSlotsTableName',
  QUEUE_STATE_TABLE: 'QueueStateTableName',
  PREFERENCES_TABLE: 'PreferencesTableName',
  JWT_ISSUER: 'UserPoolIssuer',
  JWT_CLIENT_ID: 'UserPoolClientId',
  APPCONFIG_APPLICATION: 'AppConfigApplicationId',
  APPCONFIG_ENVIRONMENT: 'AppConfigEnvironmentId',
  APPCONFIG_PROFILE: 'AppConfigProfileId',
  EVENT_BUS_NAME: 'EventBusName',
  SHOPPER_TOPIC_ARN: 'ShopperTopicArn',
  OPERATOR_TOPIC_ARN: 'OperatorTopicArn',
};

/**
 * The env-vars document: for each function of the template, the variables it declares that a
 * stack output can fill. Fails if a declared variable has no output to come from.
 */
export function samEnvVars(
  functions: Record<string, string[]>,
  outputs: Record<string, string>,
): Record<string, Record<string, string>> {
  const result: Record<string, Record<string, string>> = {};
  for (const [fn, variables] of Object.entries(functions)) {
    const values: Record<string, string> = {};
    for (const variable of variables.filter((v) => v in VARIABLE_OUTPUTS)) {
      const value = outputs[VARIABLE_OUTPUTS[variable] as string];
      if (value === undefined)
        throw new Error(`stack output ${VARIABLE_OUTPUTS[variable]} (for ${variable}) is missing`);
      values[variable] = value;
    }
    result[fn] = values;
  }
  return result;
}

/** Function logical id → the environment variables it declares in template.yaml. */
export function declaredVariables(templatePath = join(REPO_ROOT, 'template.yaml')): Record<string, string[]> {
  const template = loadTemplate(templatePath);
  return Object.fromEntries(
    resourcesOfType(template, 'AWS::Serverless::Function').map(([id, r]) => {
      const variables = ((r.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)
        ?.Variables ?? {}) as Record<string, unknown>;
      return [id, Object.keys(variables)];
    }),
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const stack = process.argv[2] ?? 'venue-hub-dev';
  const raw = execFileSync(
    'aws',
    [
      'cloudformation',
      'describe-stacks',
      '--stack-name',
      stack,
      '--query',
      'Stacks[0].Outputs',
      '--output',
      'json',
    ],
    { encoding: 'utf8' },
  );
  const outputs = Object.fromEntries(
    (JSON.parse(raw) as Array<{ OutputKey: string; OutputValue: string }>).map((o) => [
      o.OutputKey,
      o.OutputValue,
    ]),
  );
  const file = join(REPO_ROOT, '.aws-sam', 'env.json');
  mkdirSync(join(REPO_ROOT, '.aws-sam'), { recursive: true });
  writeFileSync(file, `${JSON.stringify(samEnvVars(declaredVariables(), outputs), null, 2)}\n`);
  process.stdout.write(`wrote ${file}\n`);
}
