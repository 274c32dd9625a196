/**
 * Auditor: the API pipeline's CloudFormationDeployRole can deploy the stacks (ADR 0508; ours,
 * no scanner checks it). For every resource the five templates declare, SAM's expanded to what
 * the transform generates, the role's policies must allow every action that type's create,
 * read, update and delete handlers list in the resource schemas cfn-lint bundles: wildcard-aware,
 * after its unconditional Denies (the self guard's included), in a statement whose resources
 * could match (`*`, or an ARN of the action's service). What it lacks on purpose is listed below
 * with the reason, and each reason that rests on a template fact is checked. The app key's policy
 * must let the role use the key for what the handlers ask of KMS. Without this, a missing
 * permission shows up only as a failed, rolled-back deploy.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  handledResources,
  handlerPermissions,
  OPERATIONS,
  samTransformTypes,
  schemaProperties,
} from '../helpers/resource-schemas.ts';
import {
  actionCovers,
  asArray,
  flatActions,
  type Json,
  policiesOf,
  resource,
  resourcesOf,
  type Statement,
  statementsOf,
  TEMPLATES,
} from '../helpers/templates.ts';

const PIPELINE = 'templates/pipeline.yaml';
const DEPLOY_ROLE = 'CloudFormationDeployRole';

/**
 * Types whose schema lists no handlers (CloudFormation still runs them itself): the actions
 * their create, read, update and delete calls need, from the service's own reference.
 */
const HANDLERLESS: Record<string, { source: string; actions: string[] }> = {
  'AWS::CodeBuild::Project': {
    source:
      'CodeBuild permissions reference: CreateProject and UpdateProject (with iam:PassRole of the service role), BatchGetProjects, DeleteProject',
    actions: [
      'codebuild:CreateProject',
      'codebuild:UpdateProject',
      'codebuild:BatchGetProjects',
      'codebuild:DeleteProject',
      'iam:PassRole',
    ],
  },
};

/** Resources of a type (a function's properties as SAM's or Lambda's), Globals included. */
function declared(type: string): Json[] {
  const found = resourcesOf(type).map((r) => r.props);
  if (type !== 'AWS::Lambda::Function') return found;
  const sam = resourcesOf('AWS::Serverless::Function').map((fn) => ({
    ...((TEMPLATES[fn.file]?.Globals?.Function ?? {}) as Json),
    ...fn.props,
  }));
  return [...found, ...sam];
}

/** A check that no resource of the type sets these properties (which must be the type's own). */
const unset =
  (type: string, ...properties: string[]) =>
  (): void => {
    const known = schemaProperties(type);
    for (const property of properties) {
      assert.ok(known.includes(property), `${type} has no property ${property}`);
      for (const props of declared(type))
        assert.equal(props[property], undefined, `a ${type} sets ${property}`);
    }
  };

const keys = resourcesOf('AWS::KMS::Key');
const retained = (): void => {
  for (const key of keys) {
    assert.equal(key.resource.DeletionPolicy, 'Retain', `${key.id}: DeletionPolicy`);
    assert.equal(key.resource.UpdateReplacePolicy, 'Retain', `${key.id}: UpdateReplacePolicy`);
  }
};
const onlyTheBoundary = (): void => {
  const policies = resourcesOf('AWS::IAM::ManagedPolicy');
  assert.deepEqual(
    policies.map((p) => `${p.file}#${p.id}`),
    ['template.yaml#RoleBoundary'],
  );
  unset('AWS::IAM::ManagedPolicy', 'Groups', 'Users')();
};

interface Omission {
  why: string;
  /** asserts the template facts the reason rests on */
  holds?: () => void;
}

const BOUNDARY_ONLY: Omission = {
  why: 'the stack’s only managed policy is the role boundary; changing it takes an administrator’s deploy (ADR 0505: DenyBoundaryChanges)',
  holds: onlyTheBoundary,
};
const TABLE_STREAMS = unset('AWS::DynamoDB::Table', 'KinesisStreamSpecification');
const BUCKET_METADATA = unset('AWS::S3::Bucket', 'MetadataTableConfiguration', 'MetadataConfiguration');
const FUNCTION_FILES = unset('AWS::Lambda::Function', 'FileSystemConfigs');
const SERVICE_NETWORKS = unset('AWS::EC2::VPCEndpoint', 'ServiceNetworkArn', 'ResourceConfigurationArn');

/** action → why the deploy role lacks it (the documented omissions, ADR 0508). */
const OMISSIONS: Record<string, Omission> = {
  'iam:DeleteRolePermissionsBoundary': {
    why: 'denied on purpose (ADR 0505); the role handler calls it only when a template drops a role’s boundary',
    holds: () =>
      assert.ok(
        denies.some(
          (d) =>
            d.condition === undefined &&
            d.resources.includes('*') &&
            flatActions(d).includes('iam:DeleteRolePermissionsBoundary'),
        ),
      ),
  },
  'iam:CreateServiceLinkedRole': {
    why: 'the service-linked roles (ECS; DynamoDB, Cognito and flow logs only for features these stacks do not use) are created by the administrator’s first deploy and are account-wide; the pipeline writes no role outside the boundary',
  },
  'iam:CreatePolicy': BOUNDARY_ONLY,
  'iam:CreatePolicyVersion': BOUNDARY_ONLY,
  'iam:DeletePolicyVersion': BOUNDARY_ONLY,
  'iam:DeletePolicy': BOUNDARY_ONLY,
  'iam:AttachGroupPolicy': BOUNDARY_ONLY,
  'iam:AttachUserPolicy': BOUNDARY_ONLY,
  'iam:DetachGroupPolicy': BOUNDARY_ONLY,
  'iam:DetachUserPolicy': BOUNDARY_ONLY,
  'kms:CreateKey': {
    why: 'the one key is created by the administrator’s first deploy; a pushed template that would replace it fails (a new key re-keys nothing, the data stays on the retained one)',
    holds: retained,
  },
  'kms:ScheduleKeyDeletion': {
    why: 'the key is retained on deletion and replacement, so CloudFormation never calls the delete handler',
    holds: retained,
  },
  'kms:EnableKey': {
    why: 'the key handler calls it only when Enabled changes (KeyHandlerHelper.enableKeyIfNecessary); no key sets it',
    holds: unset('AWS::KMS::Key', 'Enabled'),
  },
  'kms:DisableKey': {
    why: 'the key handler calls it only when Enabled changes to false; no key sets it',
    holds: unset('AWS::KMS::Key', 'Enabled'),
  },
  'kms:DisableKeyRotation': {
    why: 'rotation stays on (cfn-nag F19, encryption.test.ts); turning it off takes an administrator',
    holds: () => {
      for (const key of keys) assert.equal(key.props.EnableKeyRotation, true, key.id);
    },
  },
  'firehose:TagDeliveryStream': {
    why: 'only for a Firehose destination of a log group’s DataProtectionPolicy audit findings; no log group sets one',
    holds: unset('AWS::Logs::LogGroup', 'DataProtectionPolicy'),
  },
  'elasticfilesystem:DescribeMountTargets': {
    why: 'only for a function’s FileSystemConfigs; none sets one',
    holds: FUNCTION_FILES,
  },
  's3files:ListMountTargets': {
    why: 'only for a function’s FileSystemConfigs; none sets one',
    holds: FUNCTION_FILES,
  },
  'kinesis:DescribeStream': {
    why: 'only for a table’s KinesisStreamSpecification; none sets one',
    holds: TABLE_STREAMS,
  },
  'kinesis:PutRecords': {
    why: 'only for a table’s KinesisStreamSpecification; none sets one',
    holds: TABLE_STREAMS,
  },
  ...Object.fromEntries(
    [
      'CreateNamespace',
      'CreateTable',
      'CreateTableBucket',
      'GetTable',
      'GetTableMetadataLocation',
      'PutTableBucketPolicy',
      'PutTableEncryption',
      'PutTablePolicy',
      'UpdateTableMetadataLocation',
    ].map((name) => [
      `s3tables:${name}`,
      {
        why: 'only for a bucket’s S3 Metadata tables; no bucket sets a metadata configuration',
        holds: BUCKET_METADATA,
      },
    ]),
  ),
  'vpc-lattice:CreateServiceNetworkVpcEndpointAssociation': {
    why: 'only for a VPC Lattice service-network or resource endpoint; the stacks have gateway and interface endpoints',
    holds: SERVICE_NETWORKS,
  },
  'vpc-lattice:DescribeServiceNetworkVpcEndpointAssociation': {
    why: 'only for a VPC Lattice service-network or resource endpoint; the stacks have gateway and interface endpoints',
    holds: SERVICE_NETWORKS,
  },
  'vpce:AllowMultiRegion': {
    why: 'only for an endpoint to a service in another Region; no endpoint sets ServiceRegion',
    holds: unset('AWS::EC2::VPCEndpoint', 'ServiceRegion'),
  },
};

const deploy = resource(PIPELINE, DEPLOY_ROLE);
const { statements, unreadable } = policiesOf(deploy);
const allows = statements.filter((s) => s.effect === 'Allow');
const denies = statements.filter((s) => s.effect === 'Deny');

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
function arnService(file: string, value: unknown): string | undefined {
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
  if (!template.Parameters?.[id] || file === 'template.yaml') return undefined;
  const stack = resourcesOf('AWS::Serverless::Application', 'AWS::CloudFormation::Stack').find(
    (s) => s.file === 'template.yaml' && (s.props.Location ?? s.props.TemplateURL) === file,
  );
  const passed = (stack?.props.Parameters as Json | undefined)?.[id];
  return passed === undefined ? undefined : arnService('template.yaml', passed);
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Whether an unconditional Deny takes the action away wherever this Allow grants it. */
function shadowed(allow: Statement, action: string): boolean {
  return denies.some(
    (deny) =>
      deny.condition === undefined &&
      flatActions(deny).some((a) => actionCovers(a, action)) &&
      allow.resources.every((r) => deny.resources.some((d) => d === '*' || same(d, r))),
  );
}

/** The deploy role's Allow statements that grant the action somewhere it could be authorized. */
function grantsOf(action: string): Statement[] {
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
}

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
