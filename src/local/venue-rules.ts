/**
 * The venue rules as deployed to AppConfig, read from template.yaml itself: the content of the
 * hosted configuration version `VenueRulesVersion` and the JSON Schema of the configuration
 * profile `VenueRulesProfile` (its JSON_SCHEMA validator). The local hub serves and validates
 * rules with exactly what AppConfig holds, and the tests check the demo document against the
 * schema. Local tooling and tests only: never bundled into the Lambda or the worker.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { ErrorDetail } from '../domain/errors.ts';
import type { RulesDocument } from '../domain/rules.ts';
import { type CfnTemplate, functionOf, loadTemplate } from './cfn-template.ts';

/** template.yaml at the repository root. */
export const ROOT_TEMPLATE = join(resolve(dirname(fileURLToPath(import.meta.url)), '../..'), 'template.yaml');

export interface VenueRulesSource {
  document: RulesDocument;
  schema: Record<string, unknown>;
}

export type RulesValidation =
  | { valid: true; document: RulesDocument }
  | { valid: false; errors: ErrorDetail[] };

function resource(template: CfnTemplate, logicalId: string, type: string): Record<string, unknown> {
  const found = template.Resources[logicalId];
  if (!found || found.Type !== type) {
    throw new Error(`template.yaml: expected ${logicalId} of type ${type}`);
  }
  return found.Properties ?? {};
}

function parseJson(text: unknown, what: string): unknown {
  if (typeof text !== 'string') throw new Error(`template.yaml: ${what} is not a JSON block scalar`);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`template.yaml: ${what} is not valid JSON`, { cause: error });
  }
}

/** The JSON Schema of the configuration profile's JSON_SCHEMA validator. */
export function rulesSchemaFromTemplate(template: CfnTemplate): Record<string, unknown> {
  const profile = resource(template, 'VenueRulesProfile', 'AWS::AppConfig::ConfigurationProfile');
  const validators = (profile.Validators ?? []) as Array<{ Type?: string; Content?: unknown }>;
  const jsonSchema = validators.find((v) => v.Type === 'JSON_SCHEMA');
  if (!jsonSchema) throw new Error('template.yaml: VenueRulesProfile has no JSON_SCHEMA validator');
  return parseJson(jsonSchema.Content, 'VenueRulesProfile JSON_SCHEMA validator') as Record<string, unknown>;
}

/** The hosted content of `VenueRulesVersion`, unvalidated. */
export function rulesContentFromTemplate(template: CfnTemplate): unknown {
  const version = resource(template, 'VenueRulesVersion', 'AWS::AppConfig::HostedConfigurationVersion');
  return parseJson(version.Content, 'VenueRulesVersion Content');
}

const validators = new Map<string, ValidateFunction>();

function compiled(schema: Record<string, unknown>): ValidateFunction {
  const key = JSON.stringify(schema);
  let validate = validators.get(key);
  if (!validate) {
    // ajv's default strict mode: an unknown schema keyword is an error, not silently ignored;
    // style checks that AppConfig does not make either (e.g. strictRequired) stay off.
    validate = new Ajv({ allErrors: true }).compile(schema);
    validators.set(key, validate);
  }
  return validate;
}

function toDetail(error: ErrorObject): ErrorDetail {
  const extra =
    error.keyword === 'additionalProperties'
      ? ` (${String((error.params as { additionalProperty?: string }).additionalProperty)})`
      : '';
  return { path: error.instancePath || '/', message: `${error.message ?? 'is not valid'}${extra}` };
}

/**
 * Validates a rules document against the schema AppConfig enforces (by default the one in
 * template.yaml). Never throws for a bad document: the errors come back as `{path, message}`.
 */
export function validateRules(doc: unknown, schema: Record<string, unknown> = loadSchema()): RulesValidation {
  const validate = compiled(schema);
  if (validate(doc)) return { valid: true, document: doc as RulesDocument };
  return { valid: false, errors: (validate.errors ?? []).map(toDetail) };
}

/** A dotted path (`venues.x.lanes[0].open`) as the JSON pointer the schema's errors use. */
export function rulesPointer(path: string): string {
  return `/${path.replace(/\[(\d+)\]/g, '.$1').replaceAll('.', '/')}`;
}

/**
 * The functions of the template that the configuration profile's LAMBDA validators name, in
 * their order. AppConfig invokes them before a deployment; the local hub does the same for
 * `PUT /local/appconfig`, so both refuse what the bundles could not use (ADR 0506).
 */
export function rulesValidatorFunctions(template: CfnTemplate): string[] {
  const profile = resource(template, 'VenueRulesProfile', 'AWS::AppConfig::ConfigurationProfile');
  const validators = (profile.Validators ?? []) as Array<{ Type?: string; Content?: unknown }>;
  return validators
    .filter((v) => v.Type === 'LAMBDA')
    .map((v) => {
      const id = functionOf(template, v.Content);
      if (id === undefined) {
        throw new Error(
          `template.yaml: a LAMBDA validator of VenueRulesProfile names no function of the template`,
        );
      }
      return id;
    });
}

let cachedSchema: Record<string, unknown> | undefined;

function loadSchema(): Record<string, unknown> {
  cachedSchema ??= rulesSchemaFromTemplate(loadTemplate(ROOT_TEMPLATE));
  return cachedSchema;
}

/**
 * Reads the deployed rules and their schema from template.yaml (or another template), and
 * checks that the content passes its own schema, as AppConfig would at deployment.
 */
export function loadVenueRulesFromTemplate(path: string = ROOT_TEMPLATE): VenueRulesSource {
  const template = loadTemplate(path);
  const schema = rulesSchemaFromTemplate(template);
  const result = validateRules(rulesContentFromTemplate(template), schema);
  if (!result.valid) {
    const problems = result.errors.map((e) => `${e.path} ${e.message}`).join('; ');
    throw new Error(`template.yaml: VenueRulesVersion does not pass its schema: ${problems}`);
  }
  return { document: result.document, schema };
}
