/**
 * What CloudFormation's resource handlers ask of IAM, from the resource schemas cfn-lint
 * bundles (`handlers.<operation>.permissions`), and the resource types the five templates make
 * CloudFormation handle: each declared resource, with SAM's types expanded to what the
 * Serverless transform generates for them.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../src/local/dynamodb-local.ts';
import { type Json, TEMPLATES } from './templates.ts';

export const OPERATIONS = ['create', 'read', 'update', 'delete'] as const;
export type Operation = (typeof OPERATIONS)[number];

const VENV = join(REPO_ROOT, '.venv');
const MISSING_VENV = `${VENV} has no cfn-lint: run \`npm run tools:python\` (scripts/python-tools.sh) first`;

/** cfn-lint's schema folder in the project's venv (the Python version is whatever it was built with). */
function schemaDir(): string {
  const lib = join(VENV, 'lib');
  const python = existsSync(lib) ? readdirSync(lib).find((d) => d.startsWith('python')) : undefined;
  const dir = python && join(lib, python, 'site-packages/cfnlint/data/schemas');
  if (!dir || !existsSync(join(dir, 'providers/us-east-1.json'))) throw new Error(MISSING_VENV);
  return dir;
}

let providers: { dir: string; ids: Record<string, string> } | undefined;
/** type → its parsed schema: the auditors ask for the same types once per resource. */
const schemas = new Map<string, Json>();

/** A type's resource schema; throws for a type cfn-lint does not know. */
function schemaOf(type: string): Json {
  const cached = schemas.get(type);
  if (cached) return cached;
  if (!providers) {
    const dir = schemaDir();
    const ids = JSON.parse(readFileSync(join(dir, 'providers/us-east-1.json'), 'utf8')) as Record<
      string,
      string
    >;
    providers = { dir, ids };
  }
  const id = providers.ids[type];
  if (!id) throw new Error(`cfn-lint has no resource schema for ${type} (us-east-1)`);
  const schema = JSON.parse(readFileSync(join(providers.dir, 'resources', `${id}.json`), 'utf8')) as Json;
  schemas.set(type, schema);
  return schema;
}

/** The property names a type's schema defines. */
export function schemaProperties(type: string): string[] {
  return Object.keys((schemaOf(type).properties ?? {}) as Json);
}

/**
 * The IAM actions of a type's create, read, update and delete handlers; undefined for a type
 * whose schema lists no handlers (older types CloudFormation still runs itself).
 * Throws for a type cfn-lint does not know.
 */
export function handlerPermissions(type: string): Record<Operation, string[]> | undefined {
  const handlers = schemaOf(type).handlers as Record<string, { permissions?: string[] }> | undefined;
  if (!handlers) return undefined;
  return Object.fromEntries(OPERATIONS.map((op) => [op, handlers[op]?.permissions ?? []])) as Record<
    Operation,
    string[]
  >;
}

/** One resource CloudFormation handles, and the template resource it comes from. */
export interface Handled {
  type: string;
  file: string;
  /** the declared resource (for SAM types, the Serverless resource that generates it) */
  id: string;
}

/** What SAM 1.x generates for a function event source of this type (SAM's event source docs). */
const FUNCTION_EVENTS: Record<string, string[]> = {
  HttpApi: ['AWS::Lambda::Permission'],
  Api: ['AWS::Lambda::Permission'],
  S3: ['AWS::Lambda::Permission'],
  Cognito: ['AWS::Lambda::Permission'],
  SNS: ['AWS::SNS::Subscription', 'AWS::Lambda::Permission'],
  EventBridgeRule: ['AWS::Events::Rule', 'AWS::Lambda::Permission'],
  CloudWatchEvent: ['AWS::Events::Rule', 'AWS::Lambda::Permission'],
  Schedule: ['AWS::Events::Rule', 'AWS::Lambda::Permission'],
  CloudWatchLogs: ['AWS::Logs::SubscriptionFilter', 'AWS::Lambda::Permission'],
  SQS: ['AWS::Lambda::EventSourceMapping'],
  DynamoDB: ['AWS::Lambda::EventSourceMapping'],
  Kinesis: ['AWS::Lambda::EventSourceMapping'],
};

/**
 * HTTP API: SAM 1.115 writes routes, integrations and the JWT authorizer into the Api's
 * OpenAPI `Body`; their types are checked too, in case a later SAM (or an explicit one) makes
 * them resources of their own: a superset only makes the check stricter.
 */
const HTTP_API = [
  'AWS::ApiGatewayV2::Api',
  'AWS::ApiGatewayV2::Stage',
  'AWS::ApiGatewayV2::Route',
  'AWS::ApiGatewayV2::Integration',
  'AWS::ApiGatewayV2::Authorizer',
];

function expandFunction(file: string, props: Json): string[] {
  const globals = (TEMPLATES[file]?.Globals?.Function ?? {}) as Json;
  const setting = (key: string) => props[key] ?? globals[key];
  const types = ['AWS::Lambda::Function'];
  if (!props.Role) types.push('AWS::IAM::Role');
  if (setting('AutoPublishAlias')) types.push('AWS::Lambda::Version', 'AWS::Lambda::Alias');
  const preference = setting('DeploymentPreference') as Json | undefined;
  if (preference) {
    types.push('AWS::CodeDeploy::Application', 'AWS::CodeDeploy::DeploymentGroup');
    if (!preference.Role) types.push('AWS::IAM::Role');
  }
  const invoke = setting('EventInvokeConfig') as Json | undefined;
  if (invoke) {
    types.push('AWS::Lambda::EventInvokeConfig');
    // a destination of type SQS or SNS without an ARN is a queue or topic SAM creates
    const destinations = (invoke.DestinationConfig ?? {}) as Record<string, Json>;
    for (const destination of Object.values(destinations)) {
      if (destination.Destination) continue;
      if (destination.Type === 'SQS') types.push('AWS::SQS::Queue');
      if (destination.Type === 'SNS') types.push('AWS::SNS::Topic');
    }
  }
  if (setting('FunctionUrlConfig')) types.push('AWS::Lambda::Url', 'AWS::Lambda::Permission');
  for (const [name, event] of Object.entries((props.Events ?? {}) as Record<string, Json>)) {
    const generated = FUNCTION_EVENTS[event.Type as string];
    if (!generated)
      throw new Error(`event ${name} of type ${String(event.Type)}: add what SAM generates for it`);
    types.push(...generated);
    // an HttpApi event without ApiId makes SAM create the implicit ServerlessHttpApi
    if (event.Type === 'HttpApi' && !(event.Properties as Json | undefined)?.ApiId) types.push(...HTTP_API);
  }
  return types;
}

function expandHttpApi(props: Json): string[] {
  const types = [...HTTP_API];
  if (props.Domain) {
    types.push('AWS::ApiGatewayV2::DomainName', 'AWS::ApiGatewayV2::ApiMapping');
    if ((props.Domain as Json).Route53) types.push('AWS::Route53::RecordSetGroup');
  }
  return types;
}

/** The resource types CloudFormation creates for one declared resource (SAM's expanded). */
export function handledTypes(file: string, type: string, props: Json): string[] {
  switch (type) {
    case 'AWS::Serverless::Function':
      return expandFunction(file, props);
    case 'AWS::Serverless::HttpApi':
      return expandHttpApi(props);
    case 'AWS::Serverless::Application':
      return ['AWS::CloudFormation::Stack'];
    default:
      if (type.startsWith('AWS::Serverless::')) throw new Error(`${type}: add what SAM generates for it`);
      return [type];
  }
}

/** Every resource CloudFormation handles for the five templates, SAM's expanded. */
export function handledResources(): Handled[] {
  return Object.entries(TEMPLATES).flatMap(([file, template]) =>
    Object.entries(template.Resources).flatMap(([id, r]) =>
      [...new Set(handledTypes(file, r.Type, (r.Properties ?? {}) as Json))].map((type) => ({
        type,
        file,
        id,
      })),
    ),
  );
}

/**
 * The resource types the SAM transform of the project's venv generates for a template (as
 * `sam package` leaves it: code and nested templates replaced by S3 locations). Used to check
 * the expansion above against SAM itself.
 */
export function samTransformTypes(file: string): string[] {
  const python = join(VENV, 'bin/python');
  if (!existsSync(python)) throw new Error(MISSING_VENV);
  const script = `
import json, sys
from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse
class NoManagedPolicies:
    def load(self): return {}
template = yaml_parse(open(sys.argv[1]).read())
for r in template.get('Resources', {}).values():
    p = r.get('Properties') or {}
    if r['Type'] == 'AWS::Serverless::Function': p['CodeUri'] = 's3://bucket/code.zip'
    if r['Type'] == 'AWS::Serverless::Application': p['Location'] = 'https://s3.amazonaws.com/bucket/' + p['Location']
out = transform(template, {'AWS::Region': 'us-east-1'}, NoManagedPolicies())
print(json.dumps(sorted({r['Type'] for r in out['Resources'].values()})))
`;
  const run = spawnSync(python, ['-c', script, join(REPO_ROOT, file)], {
    encoding: 'utf8',
    env: { ...process.env, AWS_DEFAULT_REGION: 'us-east-1' },
  });
  if (run.status !== 0) throw new Error(`the SAM transform of ${file} failed: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '[]') as string[];
}
