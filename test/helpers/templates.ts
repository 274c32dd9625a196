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

/** The root's nested stack resource that deploys this template file. */
export function nestedStackOf(file: string): Located | undefined {
  return resourcesOf('AWS::Serverless::Application', 'AWS::CloudFormation::Stack').find(
    (stack) => stack.file === 'template.yaml' && (stack.props.Location ?? stack.props.TemplateURL) === file,
  );
}

/**
 * The value the root passes to a nested template's parameter; undefined for the root's own
 * parameters, a name that is no parameter, or one the root does not pass.
 */
export function passedParameter(file: string, name: string): unknown {
  if (file === 'template.yaml' || !TEMPLATES[file]?.Parameters?.[name]) return undefined;
  return (nestedStackOf(file)?.props.Parameters as Json | undefined)?.[name];
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

/** The statements of a policy document. */
export function statementsOf(document: unknown): Json[] {
  return asArray((document as Json | undefined)?.Statement as Json | Json[] | undefined);
}

/** The policy types that attach to the roles they name (RoleName, Roles). */
const POLICY_TYPES = ['AWS::IAM::RolePolicy', 'AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy'];

/**
 * Every policy statement of every template: identity policies (roles, role policies,
 * managed policies) and resource policies (key, bucket, queue and topic policies).
 */
export function allStatements(): Statement[] {
  const out: Statement[] = [];
  const add = (file: string, owner: string, kind: Statement['kind'], document: unknown) => {
    for (const s of statementsOf(document)) out.push(toStatement(file, owner, s, kind));
  };
  for (const { file, id, props } of resourcesOf('AWS::IAM::Role')) {
    for (const policy of asArray(props.Policies as Json[] | undefined))
      add(file, id, 'identity', policy.PolicyDocument);
  }
  for (const { file, id, props } of resourcesOf(...POLICY_TYPES))
    add(file, id, 'identity', props.PolicyDocument);
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

/**
 * Whether every string `inner` matches is also matched by `outer` (IAM globs: `*`, `?`). Sound:
 * a wildcard of `inner` can only be absorbed by a wildcard of `outer`, so `s3:Get*` is covered
 * by `s3:*` and `s3:G*` but not by `s3:GetObject`.
 */
export function globCovers(outer: string, inner: string, caseInsensitive = false): boolean {
  const STAR = '\u0001';
  const ONE = '\u0002';
  const probe = inner.replaceAll('*', STAR).replaceAll('?', ONE);
  const source = [...outer]
    .map((c) => (c === '*' ? '[\\s\\S]*' : c === '?' ? `[^${STAR}]` : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, caseInsensitive ? 'i' : '').test(probe);
}

/** IAM action names are case-insensitive. */
export const actionCovers = (outer: string, inner: string) => globCovers(outer, inner, true);

/** One statement of an identity policy, as the auditors read it. */
export function toStatement(
  file: string,
  owner: string,
  s: Json,
  kind: Statement['kind'] = 'identity',
): Statement {
  return {
    file,
    owner,
    kind,
    sid: s.Sid as string | undefined,
    effect: s.Effect as string,
    actions: asArray(s.Action as unknown),
    notActions: asArray(s.NotAction as unknown),
    resources: asArray(s.Resource as unknown),
    ...(s.Principal === undefined ? {} : { principal: s.Principal }),
    condition: s.Condition,
  };
}

/**
 * Every statement that applies to a role: its inline policies, the role policies, policies and
 * managed policies that name it, and the managed policies it attaches (only ones defined in the
 * same template can be read; any other fails the caller).
 */
export function policiesOf(role: Located): { statements: Statement[]; unreadable: string[] } {
  const statements: Statement[] = [];
  const unreadable: string[] = [];
  for (const policy of asArray(role.props.Policies as Json[] | undefined))
    for (const s of statementsOf(policy.PolicyDocument)) statements.push(toStatement(role.file, role.id, s));
  const template = TEMPLATES[role.file]!;
  for (const [id, r] of Object.entries(template.Resources)) {
    if (!POLICY_TYPES.includes(r.Type)) continue;
    const props = (r.Properties ?? {}) as Json;
    const named = [...references(props.RoleName), ...references(props.Roles)];
    if (named.includes(role.id))
      for (const s of statementsOf(props.PolicyDocument)) statements.push(toStatement(role.file, id, s));
  }
  for (const arn of asArray(role.props.ManagedPolicyArns as unknown[])) {
    const [id] = references(arn);
    const managed = id ? template.Resources[id] : undefined;
    if (managed?.Type === 'AWS::IAM::ManagedPolicy') {
      const props = (managed.Properties ?? {}) as Json;
      for (const s of statementsOf(props.PolicyDocument)) statements.push(toStatement(role.file, id!, s));
    } else unreadable.push(JSON.stringify(arn));
  }
  return { statements, unreadable };
}
