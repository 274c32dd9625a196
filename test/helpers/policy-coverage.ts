/**
 * Whether a role's policies grant an action, read statically: wildcard-aware, after its
 * unconditional Denies, in a statement whose Resource could match the action (`*`, or an ARN of
 * the action's service). Conditions of Allows are not evaluated (a conditional grant counts).
 */
import {
  actionCovers,
  flatActions,
  type Json,
  passedParameter,
  type Statement,
  TEMPLATES,
} from './templates.ts';

/** The IAM service prefix of the resource types the deploy role's ARNs refer to. */
const SERVICE_OF_NAMESPACE: Record<string, string> = { KMS: 'kms', IAM: 'iam', S3: 's3' };

function serviceOfType(type: string): string {
  const service = SERVICE_OF_NAMESPACE[type.split('::')[1] ?? ''];
  if (!service) throw new Error(`${type}: add its IAM service prefix to SERVICE_OF_NAMESPACE`);
  return service;
}

/**
 * The service an ARN of a policy's Resource belongs to (`*` for any), following a nested stack's
 * parameters to what the root passes; undefined when it cannot tell.
 */
export function arnService(file: string, value: unknown): string | undefined {
  if (value === '*') return '*';
  if (typeof value === 'string') return value.startsWith('arn:') ? value.split(':')[2] : undefined;
  const obj = value as Json;
  const sub = obj['Fn::Sub'];
  const text = typeof sub === 'string' ? sub : Array.isArray(sub) ? (sub[0] as string) : undefined;
  if (text !== undefined) {
    // ${AWS::Partition} holds colons of its own
    const plain = text.replaceAll(/\$\{AWS::[A-Za-z]+\}/g, 'x');
    if (plain.startsWith('arn:')) return plain.split(':')[2];
    const head = plain.match(/^\$\{([A-Za-z0-9]+)(?:\.Arn)?\}/)?.[1];
    return head ? arnService(file, { Ref: head }) : undefined;
  }
  const getAtt = obj['Fn::GetAtt'] as string[] | undefined;
  const id = Array.isArray(getAtt) ? getAtt[0] : (obj.Ref as string | undefined);
  const template = TEMPLATES[file];
  if (!id || !template) return undefined;
  const target = template.Resources[id];
  if (target) return serviceOfType(target.Type);
  const passed = passedParameter(file, id);
  return passed === undefined ? undefined : arnService('template.yaml', passed);
}

/** Whether two template values are the same. */
export const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The coverage questions over one role's statements. */
export function coverageOf(statements: Statement[]): {
  /** whether an unconditional Deny takes the action away wherever this Allow grants it */
  shadowed: (allow: Statement, action: string) => boolean;
  /** the Allow statements that grant the action somewhere it could be authorized */
  grantsOf: (action: string) => Statement[];
} {
  const allows = statements.filter((s) => s.effect === 'Allow');
  const denies = statements.filter((s) => s.effect === 'Deny');
  const shadowed = (allow: Statement, action: string): boolean =>
    denies.some(
      (deny) =>
        deny.condition === undefined &&
        flatActions(deny).some((a) => actionCovers(a, action)) &&
        allow.resources.every((r) => deny.resources.some((d) => d === '*' || same(d, r))),
    );
  const grantsOf = (action: string): Statement[] => {
    const service = action.split(':')[0]?.toLowerCase();
    return allows.filter(
      (s) =>
        flatActions(s).some((a) => actionCovers(a, action)) &&
        s.resources.some((r) => {
          const found = arnService(s.file, r)?.toLowerCase();
          return found === '*' || found === service;
        }) &&
        !shadowed(s, action),
    );
  };
  return { shadowed, grantsOf };
}
