/**
 * Reads CloudFormation / SAM templates as data, with the short-form intrinsic tags (`!Ref`,
 * `!Sub`, `!GetAtt`, …) parsed into their long form (`{ Ref: … }`, `{ 'Fn::Sub': … }`).
 * The local hub and the tests read the templates through this, so that local stand-ins and
 * deployed resources come from one source. Local tooling only: never bundled.
 */
import { readFileSync } from 'node:fs';
import { type CollectionTag, parse, type ScalarTag } from 'yaml';

export type TemplateValue = unknown;

export interface CfnResource {
  Type: string;
  Properties?: Record<string, TemplateValue>;
  [key: string]: TemplateValue;
}

export interface CfnTemplate {
  Transform?: string | string[];
  Parameters?: Record<string, Record<string, TemplateValue>>;
  Conditions?: Record<string, TemplateValue>;
  Globals?: Record<string, Record<string, TemplateValue>>;
  Resources: Record<string, CfnResource>;
  Outputs?: Record<string, Record<string, TemplateValue>>;
  [key: string]: TemplateValue;
}

const INTRINSICS = [
  'Base64',
  'Cidr',
  'FindInMap',
  'GetAZs',
  'ImportValue',
  'Join',
  'Select',
  'Split',
  'Sub',
  'Transform',
  'And',
  'Equals',
  'If',
  'Not',
  'Or',
  'ToJsonString',
  'Length',
] as const;

function longName(name: string): string {
  return name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
}

function intrinsicTags(): Array<ScalarTag | CollectionTag> {
  const tags: Array<ScalarTag | CollectionTag> = [];
  for (const name of [...INTRINSICS, 'Ref', 'Condition', 'GetAtt']) {
    const key = longName(name);
    const tag = `!${name}`;
    // `!GetAtt A.B` is the short form of `{ 'Fn::GetAtt': ['A', 'B'] }`.
    const fromScalar = (value: string) =>
      name === 'GetAtt' ? { [key]: splitGetAtt(value) } : { [key]: value };
    tags.push({ tag, resolve: (value: string) => fromScalar(value) } as ScalarTag);
    tags.push({
      tag,
      collection: 'seq',
      resolve: (seq: { toJSON(): unknown }) => ({ [key]: seq.toJSON() }),
    } as unknown as CollectionTag);
    tags.push({
      tag,
      collection: 'map',
      resolve: (map: { toJSON(): unknown }) => ({ [key]: map.toJSON() }),
    } as unknown as CollectionTag);
  }
  return tags;
}

function splitGetAtt(value: string): string[] {
  const dot = value.indexOf('.');
  return dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)];
}

const customTags = intrinsicTags();

/** Parses template text; throws on YAML errors. */
export function parseTemplate(text: string): CfnTemplate {
  const doc = parse(text, { customTags, maxAliasCount: -1 }) as CfnTemplate;
  if (!doc || typeof doc !== 'object' || !doc.Resources) {
    throw new Error('not a CloudFormation template: no Resources');
  }
  return doc;
}

/** Reads and parses a template file. */
export function loadTemplate(path: string): CfnTemplate {
  return parseTemplate(readFileSync(path, 'utf8'));
}

/** The resources of a template with the given type, by logical id. */
export function resourcesOfType(template: CfnTemplate, type: string): Array<[string, CfnResource]> {
  return Object.entries(template.Resources).filter(([, r]) => r.Type === type);
}

/** The logical id a `!Ref X` or `!GetAtt X.Attr` (either form) points at. */
export function refOf(value: TemplateValue): string | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.Ref === 'string') return v.Ref;
  const getAtt = v['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  if (typeof getAtt === 'string') return getAtt.split('.')[0];
  return undefined;
}

/**
 * The function of the template an ARN points at: `!GetAtt Fn.Arn`, `!Ref Fn` or an alias or
 * version of it (`!Ref FnAliaslive` / `Fn.Alias`, as SAM's AutoPublishAlias names it).
 */
export function functionOf(template: CfnTemplate, arn: TemplateValue): string | undefined {
  const ref = refOf(arn);
  if (!ref) return undefined;
  const functions = ['AWS::Serverless::Function', 'AWS::Lambda::Function'].flatMap((type) =>
    resourcesOfType(template, type).map(([id]) => id),
  );
  if (functions.includes(ref)) return ref;
  return functions.find((id) => ref.startsWith(`${id}Alias`) || ref.startsWith(`${id}.`));
}

/**
 * Resolves `!Sub` strings and `!Ref`s to parameters against the given values (enough for
 * names such as `${AppName}-${Stage}-events`); anything else is returned as it is.
 */
export function resolveNames(value: TemplateValue, parameters: Record<string, string>): TemplateValue {
  if (Array.isArray(value)) return value.map((v) => resolveNames(v, parameters));
  if (value && typeof value === 'object') {
    const obj = value as Record<string, TemplateValue>;
    if (typeof obj['Fn::Sub'] === 'string') {
      return (obj['Fn::Sub'] as string).replace(/\$\{([A-Za-z0-9:.]+)\}/g, (whole, name: string) =>
        name in parameters ? (parameters[name] as string) : whole,
      );
    }
    if (typeof obj.Ref === 'string' && obj.Ref in parameters) return parameters[obj.Ref];
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, resolveNames(v, parameters)]));
  }
  return value;
}
