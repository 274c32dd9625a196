/**
 * Auditor: the permissions boundary (ADR 0505; ours, no scanner checks it). Every role the
 * stacks create carries the root's RoleBoundary; the boundary allows no IAM write, yet every
 * action a bounded role's own policies grant (so a role cannot silently lose one at runtime);
 * the CloudFormation deploy role writes roles only with that boundary, can neither remove nor
 * change it, and cannot write to itself.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { same } from '../helpers/policy-coverage.ts';
import {
  actionCovers,
  asArray,
  flatActions,
  type Json,
  nestedStackOf,
  passedParameter,
  policiesOf,
  resource,
  resourcesOf,
  statementsOf,
  TEMPLATES,
  toStatement,
} from '../helpers/templates.ts';

const PIPELINE = 'templates/pipeline.yaml';
const BOUNDARY = 'RoleBoundary';
/** The nested stacks' name for the boundary's ARN. */
const BOUNDARY_PARAMETER = 'PermissionsBoundaryArn';

/** `file#role` → why this role carries no boundary. */
const UNBOUNDED: Record<string, string> = {
  [`${PIPELINE}#CloudFormationDeployRole`]:
    'it writes the stack’s roles, which the boundary forbids; the Denies and its self guard protect it',
};

/** The role actions that accept the iam:PermissionsBoundary condition key (IAM Service Authorization Reference). */
const ROLE_WRITES = [
  'iam:CreateRole',
  'iam:PutRolePolicy',
  'iam:AttachRolePolicy',
  'iam:DetachRolePolicy',
  'iam:DeleteRolePolicy',
  'iam:PutRolePermissionsBoundary',
];

/** Every IAM write on a role (IAM Service Authorization Reference, resource type "role"). */
const ROLE_WRITE_ACTIONS = [
  ...ROLE_WRITES,
  'iam:DeleteRolePermissionsBoundary',
  'iam:DeleteRole',
  'iam:TagRole',
  'iam:UntagRole',
  'iam:UpdateRole',
  'iam:UpdateRoleDescription',
  'iam:UpdateAssumeRolePolicy',
  'iam:CreateServiceLinkedRole',
  'iam:DeleteServiceLinkedRole',
];

/**
 * What CloudFormation's handlers ask of IAM for the stack's resource types (create, read,
 * update, delete of the resource schemas cfn-lint bundles: AWS::IAM::Role, AWS::IAM::RolePolicy,
 * and the roles Lambda, ECS, CodePipeline, CodeBuild, CodeDeploy, EventBridge and EC2 flow logs
 * are handed). Left out on purpose: iam:DeleteRolePermissionsBoundary (denied: ADR 0505) and
 * iam:CreateServiceLinkedRole (service-linked roles are not the stack's; they exist before).
 */
const HANDLER_ROLE_ACTIONS = [
  'iam:CreateRole',
  'iam:PutRolePolicy',
  'iam:AttachRolePolicy',
  'iam:GetRolePolicy',
  'iam:TagRole',
  'iam:UntagRole',
  'iam:GetRole',
  'iam:DeleteRole',
  'iam:DetachRolePolicy',
  'iam:DeleteRolePolicy',
  'iam:ListAttachedRolePolicies',
  'iam:ListRolePolicies',
  'iam:UpdateRole',
  'iam:UpdateRoleDescription',
  'iam:UpdateAssumeRolePolicy',
  'iam:PutRolePermissionsBoundary',
  'iam:PassRole',
];
/** The read handler of AWS::IAM::ManagedPolicy, on the boundary policy. */
const HANDLER_BOUNDARY_READS = ['iam:GetPolicy', 'iam:ListEntitiesForPolicy', 'iam:GetPolicyVersion'];

/**
 * The roles (`file#id`) a value names, following nested-stack parameters to the root and
 * nested-stack outputs to the template that defines them; undefined when it names anything else.
 */
function rolesNamedBy(file: string, value: unknown): string[] | undefined {
  const obj = value as Json;
  const getAtt = obj?.['Fn::GetAtt'] as string[] | undefined;
  if (Array.isArray(getAtt)) {
    const [id, attribute] = getAtt as [string, string];
    const target = TEMPLATES[file]?.Resources[id];
    if (target?.Type === 'AWS::IAM::Role' && attribute === 'Arn') return [`${file}#${id}`];
    if (attribute.startsWith('Outputs.') && file === 'template.yaml') {
      const location = (target?.Properties as Json | undefined)?.Location as string | undefined;
      const output = location && TEMPLATES[location]?.Outputs?.[attribute.slice('Outputs.'.length)];
      return output ? rolesNamedBy(location, output.Value) : undefined;
    }
    return undefined;
  }
  const passed = typeof obj?.Ref === 'string' ? passedParameter(file, obj.Ref) : undefined;
  return passed === undefined ? undefined : rolesNamedBy('template.yaml', passed);
}

const roles = resourcesOf('AWS::IAM::Role');
const bounded = roles.filter((role) => !UNBOUNDED[`${role.file}#${role.id}`]);
const boundary = resource('template.yaml', BOUNDARY);
const boundaryStatements = statementsOf((boundary.props as Json).PolicyDocument).map((s) =>
  toStatement('template.yaml', BOUNDARY, s),
);
const boundaryAllows = boundaryStatements.filter((s) => s.effect === 'Allow');

/** How a template refers to the boundary: the root by the policy, nested stacks by their parameter. */
const boundaryRef = (file: string) =>
  file === 'template.yaml' ? { Ref: BOUNDARY } : { Ref: BOUNDARY_PARAMETER };

const passedToService = (condition: unknown): string[] =>
  asArray(
    ((condition as Json | undefined)?.StringEquals as Json | undefined)?.['iam:PassedToService'] as
      | string
      | string[]
      | undefined,
  );

describe('the role boundary', () => {
  it('is one customer-managed policy of the root stack, with a fixed name', () => {
    assert.equal(boundary.resource.Type, 'AWS::IAM::ManagedPolicy');
    assert.deepEqual(boundary.props.ManagedPolicyName, { 'Fn::Sub': '${AppName}-${Stage}-role-boundary' });
    assert.equal(resourcesOf('AWS::IAM::ManagedPolicy').length, 1);
  });

  it('is carried by every role of every template, except the allowlisted deploy role', () => {
    assert.equal(roles.length, 16);
    for (const role of bounded)
      assert.deepEqual(role.props.PermissionsBoundary, boundaryRef(role.file), `${role.file}#${role.id}`);
    for (const key of Object.keys(UNBOUNDED)) {
      const [file, id] = key.split('#') as [string, string];
      assert.equal(resource(file, id).resource.Type, 'AWS::IAM::Role', `allowlisted ${key} no longer exists`);
    }
  });

  it('is passed to every nested stack that creates roles, as the root’s policy', () => {
    for (const file of new Set(roles.map((role) => role.file))) {
      if (file === 'template.yaml') continue;
      assert.ok(TEMPLATES[file]?.Parameters?.[BOUNDARY_PARAMETER], `${file} lacks ${BOUNDARY_PARAMETER}`);
      const stack = nestedStackOf(file);
      assert.ok(stack, `${file} is not nested by the root`);
      assert.deepEqual((stack.props.Parameters as Json)[BOUNDARY_PARAMETER], { Ref: BOUNDARY }, stack.id);
    }
  });

  it('is the boundary of every function, on its own or through Globals (roles SAM would generate)', () => {
    const functions = resourcesOf('AWS::Serverless::Function');
    assert.ok(functions.length > 0);
    for (const fn of functions) {
      const own = fn.props.PermissionsBoundary;
      const global = TEMPLATES[fn.file]?.Globals?.Function?.PermissionsBoundary;
      assert.deepEqual(own ?? global, boundaryRef(fn.file), fn.id);
    }
  });

  it('leaves every role name to CloudFormation, so it starts with the root stack’s name', () => {
    // the boundary's PassRole and the deploy role's IAM statements name roles by that prefix
    for (const role of roles) assert.equal(role.props.RoleName, undefined, `${role.file}#${role.id}`);
  });

  it('allows no "*" action, no IAM action but PassRole, no sts action, and no NotAction or NotResource', () => {
    assert.ok(boundaryAllows.length > 0);
    for (const s of boundaryStatements) {
      assert.equal(s.effect, 'Allow', `${s.sid}: a boundary needs no Deny here`);
      assert.deepEqual(s.notActions, [], `${s.sid} uses NotAction`);
      for (const action of flatActions(s)) {
        assert.match(action, /^[a-z0-9-]+:[A-Za-z0-9]+$/, `${s.sid}: ${action} is a wildcard`);
        if (action.startsWith('iam:')) assert.equal(action, 'iam:PassRole', `${s.sid} allows ${action}`);
        assert.ok(!action.startsWith('sts:'), `${s.sid} allows ${action}`);
      }
    }
    const raw = statementsOf((boundary.props as Json).PolicyDocument);
    for (const s of raw) assert.equal(s.NotResource, undefined, `${s.Sid} uses NotResource`);
    // …so nothing that could write IAM (or assume another role) gets through
    for (const action of [
      ...ROLE_WRITE_ACTIONS,
      'iam:CreatePolicyVersion',
      'iam:CreateUser',
      'sts:AssumeRole',
    ])
      assert.ok(
        !boundaryAllows.some((s) => flatActions(s).some((a) => actionCovers(a, action))),
        `the boundary allows ${action}`,
      );
  });

  it('allows PassRole only on the stack’s own roles, to the services the bounded roles pass them to', () => {
    const pass = boundaryAllows.filter((s) => flatActions(s).includes('iam:PassRole'));
    assert.equal(pass.length, 1);
    assert.deepEqual(pass[0]!.resources, [
      { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${AWS::StackName}-*' },
    ]);
    assert.ok(passedToService(pass[0]!.condition).length > 0, 'no iam:PassedToService');
    assert.deepEqual(Object.keys(pass[0]!.condition as Json), ['StringEquals']);
  });

  it('covers every action every bounded role’s own policies allow (wildcard-aware)', () => {
    const open = boundaryAllows.filter((s) => s.resources.includes('*') && s.condition === undefined);
    const pass = boundaryAllows.find((s) => flatActions(s).includes('iam:PassRole'))!;
    let checked = 0;
    for (const role of bounded) {
      const { statements, unreadable } = policiesOf(role);
      assert.deepEqual(unreadable, [], `${role.id} attaches a policy this auditor cannot read`);
      assert.ok(statements.length > 0, `${role.id} has no policy`);
      for (const s of statements.filter((s) => s.effect === 'Allow')) {
        assert.deepEqual(s.notActions, [], `${role.id}#${s.sid} uses NotAction`);
        for (const action of flatActions(s)) {
          checked++;
          if (open.some((b) => flatActions(b).some((a) => actionCovers(a, action)))) continue;
          assert.ok(
            actionCovers('iam:PassRole', action),
            `${role.id}#${s.sid}: ${action} is outside the boundary`,
          );
          // PassRole: the roles it passes are the stack's, to services the boundary names
          for (const r of s.resources)
            assert.ok(rolesNamedBy(role.file, r)?.length, `${role.id}#${s.sid} passes ${JSON.stringify(r)}`);
          const services = passedToService(s.condition);
          assert.ok(services.length > 0, `${role.id}#${s.sid}: no iam:PassedToService`);
          for (const service of services)
            assert.ok(
              passedToService(pass.condition).includes(service),
              `${role.id}#${s.sid}: the boundary does not pass roles to ${service}`,
            );
        }
      }
    }
    assert.ok(checked > 60, `only ${checked} actions checked`);
  });

  it('rejects what it should: the coverage check is wildcard-aware', () => {
    assert.ok(actionCovers('s3:*', 's3:GetObject'));
    assert.ok(actionCovers('s3:Get*', 's3:get*'));
    assert.ok(actionCovers('s3:*', 's3:Get*'));
    assert.ok(!actionCovers('s3:GetObject', 's3:Get*'));
    assert.ok(!actionCovers('s3:GetObject', 's3:GetObjectVersion'));
    assert.ok(!actionCovers('s3:GetObject?', 's3:GetObject*'));
    assert.ok(actionCovers('s3:GetObject?', 's3:GetObjectX'));
    assert.ok(!actionCovers('iam:PassRole', '*'));
    assert.ok(actionCovers('*', 'iam:PassRole'));
  });
});

describe('the CloudFormation deploy role', () => {
  const deploy = resource(PIPELINE, 'CloudFormationDeployRole');
  const { statements } = policiesOf(deploy);
  const allows = statements.filter((s) => s.effect === 'Allow');
  const denies = statements.filter((s) => s.effect === 'Deny');
  const iamAllows = allows.filter((s) => flatActions(s).some((a) => a.toLowerCase().startsWith('iam:')));
  const roleArn = { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${ApiStackName}-*' };
  const boundaryCondition = { StringEquals: { 'iam:PermissionsBoundary': { Ref: BOUNDARY_PARAMETER } } };

  it('grants no "iam:*" and no IAM wildcard at all', () => {
    for (const s of allows)
      for (const action of flatActions(s))
        if (action.toLowerCase().startsWith('iam:'))
          assert.doesNotMatch(action, /[*?]/, `${s.sid}: ${action}`);
  });

  it('writes roles only with the stack’s boundary: every boundary-keyed action carries the condition', () => {
    for (const action of ROLE_WRITES) {
      const grants = allows.filter((s) => flatActions(s).some((a) => actionCovers(a, action)));
      assert.ok(grants.length > 0, `${action} is not granted (CloudFormation needs it)`);
      for (const s of grants) assert.deepEqual(s.condition, boundaryCondition, `${s.sid}: ${action}`);
    }
  });

  it('holds IAM actions on the stack’s roles and reads on the boundary, nothing else', () => {
    for (const s of iamAllows) {
      const onBoundary = s.resources.length === 1 && same(s.resources[0], { Ref: BOUNDARY_PARAMETER });
      if (onBoundary) {
        for (const action of flatActions(s)) assert.match(action, /^iam:(Get|List)/, `${s.sid}: ${action}`);
        continue;
      }
      assert.deepEqual(s.resources, [roleArn], `${s.sid}`);
      for (const action of flatActions(s))
        assert.match(action, /^iam:[A-Za-z]*Role[A-Za-z]*$/, `${s.sid}: ${action}`);
    }
  });

  it('can still do what CloudFormation’s handlers ask of IAM for the stack’s roles and the boundary', () => {
    const grantsOn = (action: string, resource: unknown) =>
      allows.some(
        (s) =>
          flatActions(s).some((a) => actionCovers(a, action)) && s.resources.some((r) => same(r, resource)),
      );
    for (const action of HANDLER_ROLE_ACTIONS)
      assert.ok(grantsOn(action, roleArn), `${action} on the stack's roles`);
    for (const action of HANDLER_BOUNDARY_READS)
      assert.ok(grantsOn(action, { Ref: BOUNDARY_PARAMETER }), `${action} on the boundary`);
  });

  it('is denied removing a boundary, setting another, and creating a role without it', () => {
    const denied = (action: string, resource: unknown, condition?: unknown) =>
      denies.some(
        (s) =>
          flatActions(s).some((a) => actionCovers(a, action)) &&
          s.resources.some((r) => same(r, resource)) &&
          same(s.condition, condition),
      );
    assert.ok(denied('iam:DeleteRolePermissionsBoundary', '*'));
    const otherBoundary = { StringNotEquals: { 'iam:PermissionsBoundary': { Ref: BOUNDARY_PARAMETER } } };
    assert.ok(denied('iam:CreateRole', '*', otherBoundary));
    assert.ok(denied('iam:PutRolePermissionsBoundary', '*', otherBoundary));
  });

  it('is denied any change to the boundary policy', () => {
    for (const action of [
      'iam:CreatePolicyVersion',
      'iam:DeletePolicyVersion',
      'iam:SetDefaultPolicyVersion',
      'iam:DeletePolicy',
    ]) {
      assert.ok(
        denies.some(
          (s) =>
            s.condition === undefined &&
            flatActions(s).some((a) => actionCovers(a, action)) &&
            s.resources.some((r) => same(r, { Ref: BOUNDARY_PARAMETER })),
        ),
        `${action} on the boundary is not denied`,
      );
    }
  });

  it('is denied every IAM write on its own ARN, by a policy attached to it', () => {
    const self = { 'Fn::GetAtt': ['CloudFormationDeployRole', 'Arn'] };
    for (const action of ROLE_WRITE_ACTIONS) {
      assert.ok(
        denies.some(
          (s) =>
            s.condition === undefined &&
            flatActions(s).some((a) => actionCovers(a, action)) &&
            s.resources.some((r) => same(r, self)),
        ),
        `${action} on the deploy role itself is not denied`,
      );
    }
    // …and those Denies read nothing: the role can still be read and passed to CloudFormation
    for (const s of denies.filter((s) => s.resources.some((r) => same(r, self))))
      for (const action of ['iam:GetRole', 'iam:PassRole', 'iam:ListRolePolicies'])
        assert.ok(!flatActions(s).some((a) => actionCovers(a, action)), `${s.sid} denies ${action}`);
  });
});
