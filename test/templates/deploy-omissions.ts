/**
 * The deploy-permissions auditor's data (ADR 0508): how it knows the actions of types without
 * handlers in their schema, and what the deploy role lacks on purpose, each with the reason and,
 * where the reason is a template fact, the check that it still holds.
 */
import assert from 'node:assert/strict';
import { schemaProperties } from '../helpers/resource-schemas.ts';
import {
  flatActions,
  type Json,
  policiesOf,
  resource,
  resourcesOf,
  TEMPLATES,
} from '../helpers/templates.ts';

const deployDenies = () =>
  policiesOf(resource('templates/pipeline.yaml', 'CloudFormationDeployRole')).statements.filter(
    (s) => s.effect === 'Deny',
  );

/**
 * Types whose schema lists no handlers (CloudFormation still runs them itself): the actions
 * their create, read, update and delete calls need, from the service's own reference.
 */
export const HANDLERLESS: Record<string, { source: string; actions: string[] }> = {
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

/** A check that the deploy role denies `action` on everything, whatever the conditions. */
const deniedOutright = (action: string) => (): void =>
  assert.ok(
    deployDenies().some(
      (d) => d.condition === undefined && d.resources.includes('*') && flatActions(d).includes(action),
    ),
    `the deploy role does not deny ${action} outright`,
  );

export const keys = resourcesOf('AWS::KMS::Key');
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

export interface Omission {
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
export const OMISSIONS: Record<string, Omission> = {
  'iam:DeleteRolePermissionsBoundary': {
    why: 'denied on purpose (ADR 0505); the role handler calls it only when a template drops a role’s boundary',
    holds: deniedOutright('iam:DeleteRolePermissionsBoundary'),
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
  'kms:PutKeyPolicy': {
    why: 'the key policy says who may use the key (and so read all the data it encrypts): a pushed template must not widen it; changing it takes an administrator’s deploy (ADR 0508: DenyKeyPolicyChanges)',
    holds: deniedOutright('kms:PutKeyPolicy'),
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
