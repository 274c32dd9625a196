/**
 * Auditor: the API pipeline's CloudFormationDeployRole can deploy the stacks (ADR 0508; ours,
 * no scanner checks it). For every resource the five templates declare, SAM's expanded to what
 * the transform generates, the role's policies must allow every action that type's create,
 * read, update and delete handlers list in the resource schemas cfn-lint bundles: wildcard-aware,
 * after its unconditional Denies (the self guard's included), in a statement whose resources
 * could match (`*`, or an ARN of the action's service). What it lacks on purpose is listed in
 * deploy-omissions.ts with the reason, and each reason that rests on a template fact is checked. The app key's policy
 * must let the role use the key for what the handlers ask of KMS. Without this, a missing
 * permission shows up only as a failed, rolled-back deploy.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { arnService, coverageOf, same } from '../helpers/policy-coverage.ts';
import {
  handledResources,
  handlerPermissions,
  OPERATIONS,
  samTransformTypes,
} from '../helpers/resource-schemas.ts';
import {
  actionCovers,
  asArray,
  type Json,
  policiesOf,
  resource,
  statementsOf,
  TEMPLATES,
} from '../helpers/templates.ts';
import { HANDLERLESS, keys, OMISSIONS } from './deploy-omissions.ts';

const PIPELINE = 'templates/pipeline.yaml';
const DEPLOY_ROLE = 'CloudFormationDeployRole';

const deploy = resource(PIPELINE, DEPLOY_ROLE);
const { statements, unreadable } = policiesOf(deploy);
const allows = statements.filter((s) => s.effect === 'Allow');
const denies = statements.filter((s) => s.effect === 'Deny');
const { grantsOf, shadowed } = coverageOf(statements);

const handled = handledResources();
/** action (lower case) → the handlers that need it, as "Type (operation)" */
const needed = new Map<string, Set<string>>();
const need = (action: string, by: string) => {
  const key = action.toLowerCase();
  needed.set(key, (needed.get(key) ?? new Set()).add(by));
};
for (const type of new Set(handled.map((h) => h.type))) {
  const permissions = handlerPermissions(type);
  if (permissions)
    for (const op of OPERATIONS) for (const action of permissions[op]) need(action, `${type} (${op})`);
  else for (const action of HANDLERLESS[type]?.actions ?? []) need(action, `${type} (by hand)`);
}
const omitted = (action: string) =>
  Object.keys(OMISSIONS).find((a) => a.toLowerCase() === action.toLowerCase());

describe('the resources the deploy role deploys', () => {
  it('are every resource of the five templates, SAM’s expanded, each of a type cfn-lint knows', () => {
    assert.equal(Object.keys(TEMPLATES).length, 5);
    assert.ok(handled.length > 140, `only ${handled.length} resources`);
    for (const { type, file, id } of handled) {
      const permissions = handlerPermissions(type);
      assert.ok(
        permissions || HANDLERLESS[type],
        `${file}#${id}: ${type} lists no handlers; add it to HANDLERLESS`,
      );
    }
    for (const type of Object.keys(HANDLERLESS))
      assert.equal(handlerPermissions(type), undefined, `${type} has handlers now; drop it from HANDLERLESS`);
  });

  it('include everything the SAM transform generates for the root template', () => {
    const expanded = new Set(handled.filter((h) => h.file === 'template.yaml').map((h) => h.type));
    const generated = samTransformTypes('template.yaml');
    assert.ok(generated.includes('AWS::Lambda::Version') && generated.includes('AWS::ApiGatewayV2::Stage'));
    for (const type of generated)
      assert.ok(expanded.has(type), `SAM generates ${type}; expand it in test/helpers/resource-schemas.ts`);
  });
});

describe('the CloudFormation deploy role', () => {
  it('has only policies this auditor can read', () => {
    assert.deepEqual(unreadable, []);
    assert.ok(
      statements.some((s) => s.owner === 'CloudFormationDeployRoleSelfGuard'),
      'the self guard is read',
    );
  });

  it('is allowed every action the handlers of the stacks’ resources ask for, but the documented omissions', () => {
    assert.ok(needed.size > 300, `only ${needed.size} actions`);
    const missing = [...needed.entries()]
      .filter(([action]) => !omitted(action) && grantsOf(action).length === 0)
      .map(([action, by]) => `${action} (${[...by].join(', ')})`);
    assert.deepEqual(missing, [], `the deploy role lacks:\n${missing.join('\n')}`);
  });

  it('lacks each omitted action indeed, for a reason that still holds', () => {
    for (const [action, omission] of Object.entries(OMISSIONS)) {
      assert.ok(needed.has(action.toLowerCase()), `${action} is no handler’s any more: drop it`);
      assert.deepEqual(grantsOf(action), [], `${action} is granted now: drop the omission`);
      assert.ok(omission.why.length > 20, action);
      omission.holds?.();
    }
  });
});

describe('the coverage check', () => {
  it('honours unconditional Denies, and only those', () => {
    assert.deepEqual(grantsOf('iam:DeleteRolePermissionsBoundary'), []);
    // CreateRole is allowed with the boundary; the Deny without it is conditional
    assert.ok(grantsOf('iam:CreateRole').length > 0);
    // the self guard denies writes to the deploy role only, not to the stack's roles
    assert.ok(grantsOf('iam:PutRolePolicy').length > 0);
    const guard = denies.find((d) => d.owner === 'CloudFormationDeployRoleSelfGuard')!;
    assert.ok(shadowed({ ...guard, effect: 'Allow', actions: ['iam:PutRolePolicy'] }, 'iam:PutRolePolicy'));
  });

  it('wants an ARN of the action’s own service, or "*"', () => {
    assert.equal(arnService(PIPELINE, { Ref: 'KmsKeyArn' }), 'kms');
    assert.equal(arnService(PIPELINE, { Ref: 'PermissionsBoundaryArn' }), 'iam');
    assert.equal(arnService(PIPELINE, { 'Fn::Sub': '${ArtifactBucket.Arn}/*' }), 's3');
    assert.equal(
      arnService(PIPELINE, {
        'Fn::Sub': 'arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/x',
      }),
      'events',
    );
    // events:* also names the key (CreateArchive is authorized on it); its events ARNs count
    const eventBridge = allows.find((s) => s.sid === 'EventBridge')!;
    assert.ok(eventBridge.resources.some((r) => arnService(PIPELINE, r) === 'kms'));
    assert.ok(grantsOf('events:CreateArchive').some((s) => s.sid === 'EventBridge'));
    // an action granted only on another service's ARNs does not count
    assert.deepEqual(
      grantsOf('codebuild:CreateProject').map((s) => s.sid),
      ['NamedResources'],
    );
    const named = allows.find((s) => s.sid === 'NamedResources')!;
    assert.ok(named.resources.some((r) => arnService(PIPELINE, r) === 'dynamodb'));
  });
});

describe('the app key', () => {
  const key = resource('template.yaml', 'AppKey');
  const keyStatements = statementsOf(key.props.KeyPolicy);
  const account = { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' };
  /** the root stack's name for the deploy role's ARN, if the key policy were to name it */
  const deployRoleArn = { 'Fn::GetAtt': ['PipelineStack', 'Outputs.CloudFormationDeployRoleArn'] };

  /**
   * Condition keys that hold when a handler (or the service it drives, with the caller's
   * credentials) calls KMS as the deploy role, and the actions each holds for.
   */
  const holdsFor = (action: string, condition: unknown): boolean =>
    Object.entries((condition ?? {}) as Record<string, Json>).every(([operator, keys]) =>
      Object.entries(keys).every(([name, value]) => {
        if (name === 'kms:CallerAccount')
          return operator === 'StringEquals' && same(value, { Ref: 'AWS::AccountId' });
        if (name === 'kms:GrantIsForAWSResource')
          return operator === 'Bool' && value === 'true' && action.toLowerCase() === 'kms:creategrant';
        return false;
      }),
    );

  /** Key-policy statements that let the deploy role's own IAM policy decide this action. */
  const delegating = (action: string) =>
    keyStatements.filter((s) => {
      const principal = (s.Principal as Json | undefined)?.AWS;
      return (
        s.Effect === 'Allow' &&
        asArray(principal).some((p) => same(p, account) || same(p, deployRoleArn)) &&
        asArray(s.Action as string | string[]).some((a) => actionCovers(a, action)) &&
        holdsFor(action, s.Condition)
      );
    });

  /** Handlers' KMS actions that are authorized on the key (CreateKey and ListAliases are not). */
  const KEYLESS = ['kms:createkey', 'kms:listaliases'];
  /** KMS: "kms:RetireGrant is not effective in a key policy"; the account delegates it to IAM policies. */
  const IAM_ONLY = ['kms:retiregrant'];
  /**
   * Use of the key by whoever names it on a resource, whatever the schemas list: services that
   * check the key with the caller's credentials when a queue, topic, build project or artifact
   * store names it (their handlers list no KMS action) find these allowed too.
   */
  const KEY_USE = [
    'kms:encrypt',
    'kms:decrypt',
    'kms:reencryptfrom',
    'kms:reencryptto',
    'kms:generatedatakey',
    'kms:generatedatakeywithoutplaintext',
    'kms:describekey',
    'kms:creategrant',
  ];
  const onTheKey = [
    ...new Set([
      ...KEY_USE,
      ...[...needed.keys()].filter(
        (action) => action.startsWith('kms:') && !KEYLESS.includes(action) && !omitted(action),
      ),
    ]),
  ];

  it('is the stacks’ one key, which the root hands the pipeline stack as KmsKeyArn', () => {
    assert.equal(keys.length, 1);
    const pipeline = resource('template.yaml', 'PipelineStack');
    assert.deepEqual((pipeline.props.Parameters as Json).KmsKeyArn, { 'Fn::GetAtt': ['AppKey', 'Arn'] });
    assert.ok(onTheKey.length >= 15, onTheKey.join(', '));
  });

  it('is granted to the deploy role by ARN for every KMS action of the handlers', () => {
    for (const action of onTheKey) {
      const onKey = grantsOf(action).filter((s) => s.resources.some((r) => same(r, { Ref: 'KmsKeyArn' })));
      assert.ok(onKey.length > 0, `${action} is not granted on the key`);
    }
  });

  it('lets the account’s IAM policies (or the role by name) decide each of those actions, with conditions that hold', () => {
    for (const action of onTheKey) {
      if (IAM_ONLY.includes(action)) continue;
      assert.ok(delegating(action).length > 0, `the key policy does not let the deploy role use ${action}`);
    }
    for (const s of keyStatements)
      assert.notEqual(s.Effect, 'Deny', `${s.Sid}: a Deny needs a closer look here`);
  });

  it('does not let a condition that would not hold pass (grants only for AWS resources)', () => {
    const grants = delegating('kms:CreateGrant');
    assert.ok(grants.length > 0);
    assert.ok(grants.every((s) => JSON.stringify(s.Condition).includes('kms:GrantIsForAWSResource')));
    assert.ok(!holdsFor('kms:Decrypt', { Bool: { 'kms:GrantIsForAWSResource': 'true' } }));
    assert.ok(
      !holdsFor('kms:Decrypt', { StringEquals: { 'kms:ViaService': 'sqs.us-east-1.amazonaws.com' } }),
    );
  });
});
