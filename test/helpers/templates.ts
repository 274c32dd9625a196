/**
 * The templates as an auditor reads them: parsed raw (short-form tags expanded), with helpers
 * to find resources across all stacks and to walk IAM policy statements.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type CfnResource, type CfnTemplate, loadTemplate } from '../../src/local/cfn-template.ts';
import { REPO_ROOT } from '../../src/local/dynamodb-local.ts';

export type Json = Record<string, unknown>;

/** template file (relative) → parsed template */
export const TEMPLATES: Record<string, CfnTemplate> = Object.fromEntries(
  ['template.yaml', ...readdirSync(join(REPO_ROOT, 'templates')).map((f) => `templates/${f}`)]
    .filter((file) => file.endsWith('.yaml'))
    .map((file) => [file, loadTemplate(join(REPO_ROOT, file))]),
);

export const ROOT = TEMPLATES['template.yaml'] as CfnTemplate;

export interface Located {
  file: string;
  id: string;
  resource: CfnResource;
  props: Json;
}

/** Every resource of the given types, in every template. */
export function resourcesOf(...types: string[]): Located[] {
  return Object.entries(TEMPLATES).flatMap(([file, template]) =>
    Object.entries(template.Resources)
      .filter(([, resource]) => types.includes(resource.Type))
      .map(([id, resource]) => ({ file, id, resource, props: (resource.Properties ?? {}) as Json })),
  );
}

/** The resource with this logical id in this template (throws if absent). */
export function resource(file: string, id: string): Located {
  const found = TEMPLATES[file]?.Resources[id];
  if (!found) throw new Error(`${file}: no resource ${id}`);
  return { file, id, resource: found, props: (found.Properties ?? {}) as Json };
}

export function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** Logical ids and parameters a value refers to (Ref, GetAtt, ${X} and ${X.Attr} in Sub). */
export function references(value: unknown): string[] {
  const found = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) {
      for (const item of v) walk(item);
      return;
    }
    if (!v || typeof v !== 'object') return;
    const obj = v as Json;
    if (typeof obj.Ref === 'string') found.add(obj.Ref.split('.')[0] as string);
    const getAtt = obj['Fn::GetAtt'];
    if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') found.add(getAtt[0]);
    const sub = obj['Fn::Sub'];
    const text =
      typeof sub === 'string' ? sub : Array.isArray(sub) && typeof sub[0] === 'string' ? sub[0] : '';
    for (const match of text.matchAll(/\$\{([A-Za-z0-9]+)[.}]/g)) found.add(match[1] as string);
    for (const item of Object.values(obj)) walk(item);
  };
  walk(value);
  return [...found];
}

export interface Statement {
  file: string;
  /** the resource holding the policy */
  owner: string;
  kind: 'identity' | 'resource';
  sid?: string;
  effect: string;
  actions: unknown[];
  notActions: unknown[];
  resources: unknown[];
  principal?: unknown;
  condition?: unknown;
}

function statementsOf(document: unknown): Json[] {
  return asArray((document as Json | undefined)?.Statement as Json | Json[] | undefined);
}

/**
 * Every policy statement of every template: identity policies (roles, role policies,
 * managed policies) and resource policies (key, bucket, queue and topic policies).
 */
export function allStatements(): Statement[] {
  const out: Statement[] = [];
  const add = (file: string, owner: string, kind: Statement['kind'], document: unknown) => {
    for (const s of statementsOf(document)) {
      out.push({
        file,
        owner,
        kind,
        sid: s.Sid as string | undefined,
        effect: s.Effect as string,
        actions: asArray(s.Action as unknown),
        notActions: asArray(s.NotAction as unknown),
        resources: asArray(s.Resource as unknown),
        principal: s.Principal,
        condition: s.Condition,
      });
    }
  };
  for (const { file, id, props } of resourcesOf('AWS::IAM::Role')) {
    for (const policy of asArray(props.Policies as Json[] | undefined))
      add(file, id, 'identity', policy.PolicyDocument);
  }
  for (const { file, id, props } of resourcesOf(
    'AWS::IAM::RolePolicy',
    'AWS::IAM::Policy',
    'AWS::IAM::ManagedPolicy',
  )) {
    add(file, id, 'identity', props.PolicyDocument);
  }
  for (const { file, id, props } of resourcesOf(
    'AWS::S3::BucketPolicy',
    'AWS::SQS::QueuePolicy',
    'AWS::SNS::TopicPolicy',
  )) {
    add(file, id, 'resource', props.PolicyDocument);
  }
  for (const { file, id, props } of resourcesOf('AWS::KMS::Key')) add(file, id, 'resource', props.KeyPolicy);
  return out;
}

/** Actions of a statement, with `Fn::If` branches flattened. */
export function flatActions(statement: Statement): string[] {
  const flat = (v: unknown): unknown[] => {
    if (Array.isArray(v)) return v.flatMap(flat);
    const branches = (v as Json | undefined)?.['Fn::If'];
    if (Array.isArray(branches)) return branches.slice(1).flatMap(flat);
    return [v];
  };
  return statement.actions.flatMap(flat).filter((a): a is string => typeof a === 'string');
}
