/**
 * The venue rules as deployed to AppConfig: the hosted content (`VenueRulesVersion`) and the
 * JSON Schema of the configuration profile's validator (`VenueRulesProfile`), both read from
 * template.yaml so that the local hub and the tests use exactly what AWS gets. Local tooling
 * and tests only: the bundles receive the rules through AppConfigData.
 */
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { RulesDocument } from '../domain/rules.ts';
import { loadTemplate } from './cfn-template.ts';
import { REPO_ROOT } from './dynamodb-local.ts';

export const ROOT_TEMPLATE = join(REPO_ROOT, 'template.yaml');

export interface VenueRulesSource {
  document: RulesDocument;
  schema: object;
}

export type RulesValidation =
  | { valid: true }
  | { valid: false; errors: Array<{ path: string; message: string }> };

function parseJson(text: unknown, where: string): unknown {
  if (typeof text !== 'string') throw new Error(`template.yaml: ${where} must be a JSON block scalar`);
  return JSON.parse(text);
}

/** Reads the hosted rules and their schema from template.yaml. */
export function loadVenueRulesFromTemplate(templatePath = ROOT_TEMPLATE): VenueRulesSource {
  const template = loadTemplate(templatePath);
  const version = template.Resources.VenueRulesVersion;
  const profile = template.Resources.VenueRulesProfile;
  if (!version || !profile) throw new Error('template.yaml has no VenueRulesVersion / VenueRulesProfile');
  const validators = (profile.Properties?.Validators ?? []) as Array<{ Type?: string; Content?: unknown }>;
  const validator = validators.find((v) => v.Type === 'JSON_SCHEMA');
  if (!validator) throw new Error('template.yaml: VenueRulesProfile has no JSON_SCHEMA validator');
  return {
    document: parseJson(version.Properties?.Content, 'VenueRulesVersion Content') as RulesDocument,
    schema: parseJson(validator.Content, 'VenueRulesProfile validator Content') as object,
  };
}

const compiled = new Map<object, ReturnType<Ajv['compile']>>();

/** Checks a document against the schema (from the template unless given), as AppConfig would. */
export function validateRules(
  document: unknown,
  schema: object = loadVenueRulesFromTemplate().schema,
): RulesValidation {
  let validate = compiled.get(schema);
  if (!validate) {
    // AppConfig accepts draft-04 to 2020-12 schemas; pick the Ajv dialect the schema names.
    const dialect = String((schema as { $schema?: unknown }).$schema ?? '');
    const ajv = dialect.includes('2020-12')
      ? new Ajv2020({ allErrors: true, strict: false })
      : new Ajv({ allErrors: true, strict: false });
    addFormats.default(ajv);
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  if (validate(document)) return { valid: true };
  return {
    valid: false,
    errors: (validate.errors ?? []).map((e) => ({
      path: e.instancePath || '/',
      message: e.message ?? 'invalid',
    })),
  };
}
