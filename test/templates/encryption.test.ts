/**
 * Auditor: the one customer-managed key (with rotation) encrypts every resource that stores
 * or carries data, in every template (cfn-nag W74/W41/W47/W48/W79/W84, checkov CKV_AWS_119,
 * 19, 26, 27, 136, 158, 7).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../../src/local/dynamodb-local.ts';
import {
  actionCovers,
  asArray,
  flatActions,
  type Json,
  type Located,
  policiesOf,
  references,
  resource,
  resourcesOf,
  statementsOf,
  TEMPLATES,
} from '../helpers/templates.ts';

/** In the root the key is AppKey; nested stacks receive it as the KmsKeyArn parameter. */
function usesTheKey(located: Located, value: unknown): boolean {
  const refs = references(value);
  return located.file === 'template.yaml' ? refs.includes('AppKey') : refs.includes('KmsKeyArn');
}

/** Resources exempt from the CMK, each with the reason an auditor can check. */
const EXEMPT: Record<string, string> = {
  'template.yaml#AccessLogBucket': 'S3 server access log delivery supports only SSE-S3 on its target bucket',
};

/** A function's own KmsKeyArn, else the one its template's Globals give every function. */
const functionKey = (props: Json, located: Located) =>
  props.KmsKeyArn ?? TEMPLATES[located.file]?.Globals?.Function?.KmsKeyArn;

/** Where each data-carrying type names its key. */
const KEY_PROPERTY: Record<string, (props: Json, located: Located) => unknown> = {
  // environment variables at rest (CKV_AWS_173)
  'AWS::Serverless::Function': functionKey,
  'AWS::Lambda::Function': (p) => p.KmsKeyArn,
  // Fargate tasks' ephemeral storage
  'AWS::ECS::Cluster': (p) =>
    ((p.Configuration as Json | undefined)?.ManagedStorageConfiguration as Json | undefined)
      ?.FargateEphemeralStorageKmsKeyId,
  'AWS::DynamoDB::Table': (p) => {
    const sse = p.SSESpecification as Json | undefined;
    return sse?.SSEEnabled === true && sse.SSEType === 'KMS' ? sse.KMSMasterKeyId : undefined;
  },
  'AWS::S3::Bucket': (p) => {
    const rules = asArray(
      ((p.BucketEncryption as Json | undefined)?.ServerSideEncryptionConfiguration ?? []) as Json[],
    );
    const byDefault = rules[0]?.ServerSideEncryptionByDefault as Json | undefined;
    return byDefault?.SSEAlgorithm === 'aws:kms' ? byDefault.KMSMasterKeyID : undefined;
  },
  'AWS::SNS::Topic': (p) => p.KmsMasterKeyId,
  'AWS::SQS::Queue': (p) => p.KmsMasterKeyId,
  'AWS::Logs::LogGroup': (p) => p.KmsKeyId,
  'AWS::ECR::Repository': (p) => {
    const config = p.EncryptionConfiguration as Json | undefined;
    return config?.EncryptionType === 'KMS' ? config.KmsKey : undefined;
  },
  'AWS::CodeBuild::Project': (p) => p.EncryptionKey,
  'AWS::CodeCommit::Repository': (p) => p.KmsKeyId,
  'AWS::CodePipeline::Pipeline': (p) => {
    const key = (p.ArtifactStore as Json | undefined)?.EncryptionKey as Json | undefined;
    return key?.Type === 'KMS' ? key.Id : undefined;
  },
  'AWS::AppConfig::ConfigurationProfile': (p) => p.KmsKeyIdentifier,
  'AWS::AppConfig::Deployment': (p) => p.KmsKeyIdentifier,
  'AWS::Events::EventBus': (p) => p.KmsKeyIdentifier,
  'AWS::Events::Archive': (p) => p.KmsKeyIdentifier,
};

describe('KMS customer-managed key', () => {
  const keyStatements = statementsOf(resource('template.yaml', 'AppKey').props.KeyPolicy);

  it('is the only key, symmetric, with rotation, and kept on stack deletion', () => {
    const keys = resourcesOf('AWS::KMS::Key');
    assert.deepEqual(
      keys.map((k) => `${k.file}#${k.id}`),
      ['template.yaml#AppKey'],
    );
    const key = keys[0]!;
    assert.equal(key.props.EnableKeyRotation, true);
    assert.equal(key.props.KeySpec, 'SYMMETRIC_DEFAULT');
    assert.equal(key.resource.DeletionPolicy, 'Retain');
  });

  it('is administered by the account but used only through scoped policies and named services', () => {
    const admin = keyStatements.find((s) => s.Sid === 'KeyAdministration')!;
    const adminActions = asArray(admin.Action as string[]);
    assert.ok(!adminActions.includes('kms:*'));
    for (const use of ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*'])
      assert.ok(!adminActions.includes(use), use);
    // kms:Create* would include kms:CreateGrant (use, not administration)
    assert.ok(!adminActions.includes('kms:Create*'), 'kms:Create* in administration');
    assert.ok(
      !adminActions.some((a) => actionCovers(a, 'kms:CreateGrant')),
      'administration may create grants',
    );
    for (const statement of keyStatements) {
      const principal = statement.Principal as Json;
      assert.notEqual(principal, '*');
      assert.notEqual(principal?.AWS, '*');
      if (statement.Sid !== 'KeyAdministration')
        assert.ok(statement.Condition, `${statement.Sid} has a condition`);
    }
  });

  it('admits every consumer of the key: roles through IAM, grant-keeping services, service principals', () => {
    const actionsFor = (principal: (p: Json) => boolean) =>
      keyStatements
        .filter((s) => s.Effect === 'Allow' && principal((s.Principal ?? {}) as Json))
        .flatMap((s) => asArray(s.Action as string[]));
    const account = actionsFor((p) => JSON.stringify(p.AWS ?? '').includes(':root'));
    // roles (functions, worker, builds, pipelines, the deploy role) use the key through their policies
    for (const action of ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey*', 'kms:DescribeKey'])
      assert.ok(account.includes(action), `the account's roles cannot ${action}`);
    // DynamoDB, Lambda (environment) and ECR keep grants on the key for their resources
    if (resourcesOf('AWS::DynamoDB::Table', 'AWS::Serverless::Function', 'AWS::ECR::Repository').length)
      assert.ok(account.includes('kms:CreateGrant'), 'no grants for DynamoDB, Lambda, ECR');
    const service = (name: string) =>
      actionsFor((p) => asArray(p.Service as unknown[]).some((s) => JSON.stringify(s).includes(name)));
    const needs: Array<[string, boolean, string[]]> = [
      [
        'logs.',
        resourcesOf('AWS::Logs::LogGroup').length > 0,
        ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey*'],
      ],
      [
        'sns.amazonaws.com',
        resourcesOf('AWS::SNS::Subscription').some((r) => r.props.Protocol === 'sqs'),
        ['kms:GenerateDataKey*', 'kms:Decrypt'],
      ],
      [
        'events.amazonaws.com',
        resourcesOf('AWS::Events::EventBus', 'AWS::Events::Archive').length > 0,
        ['kms:GenerateDataKey*', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:DescribeKey'],
      ],
      [
        'cloudwatch.amazonaws.com',
        resourcesOf('AWS::CloudWatch::Alarm').some((a) => a.props.AlarmActions),
        ['kms:GenerateDataKey*', 'kms:Decrypt'],
      ],
      ['cloudfront.amazonaws.com', resourcesOf('AWS::CloudFront::Distribution').length > 0, ['kms:Decrypt']],
      [
        'fargate.amazonaws.com',
        resourcesOf('AWS::ECS::Cluster').some((c) => JSON.stringify(c.props).includes('FargateEphemeral')),
        ['kms:GenerateDataKeyWithoutPlaintext', 'kms:CreateGrant'],
      ],
    ];
    for (const [name, used, actions] of needs) {
      if (!used) continue;
      const granted = service(name);
      // the action itself, or a wildcard that covers it
      for (const action of actions)
        assert.ok(
          granted.some((g) => actionCovers(g, action)),
          `${name} lacks ${action}`,
        );
    }
  });

  it('lets grants be created only for AWS resources (or Decrypt-only ones by Fargate)', () => {
    const granting = keyStatements.filter((s) =>
      asArray(s.Action as string[]).some(
        (a) => a === 'kms:CreateGrant' || a === 'kms:*' || a === 'kms:Create*',
      ),
    );
    assert.ok(granting.length >= 1);
    for (const s of granting) {
      assert.deepEqual(s.Action, 'kms:CreateGrant', `${s.Sid} grants more than CreateGrant`);
      const condition = s.Condition as Json;
      const forResource = (condition.Bool as Json | undefined)?.['kms:GrantIsForAWSResource'];
      const decryptOnly = (condition['ForAllValues:StringEquals'] as Json | undefined)?.[
        'kms:GrantOperations'
      ];
      assert.ok(
        forResource === 'true' || JSON.stringify(decryptOnly) === '["Decrypt"]',
        `${s.Sid} lets the key be granted to anyone`,
      );
    }
    const accountGrants = granting.filter((s) => (s.Principal as Json).AWS);
    assert.deepEqual(
      accountGrants.map((s) => (s.Condition as Json).Bool),
      [{ 'kms:GrantIsForAWSResource': 'true' }],
    );
  });

  it('names why the CloudFront condition is a wildcard (the distribution id would make a cycle)', () => {
    const text = readFileSync(join(REPO_ROOT, 'template.yaml'), 'utf8');
    const policy = text.slice(text.indexOf('  AppKey:'), text.indexOf('  AppKeyAlias:'));
    const wildcard = policy.indexOf(':distribution/*');
    assert.ok(wildcard > 0);
    const before = policy.slice(0, wildcard).split('\n').slice(-12).join('\n');
    assert.match(before, /#[^\n]*cycle/);
  });

  it('lets Fargate encrypt ephemeral storage only for the worker cluster of this account', () => {
    const fargate = keyStatements.filter(
      (s) => JSON.stringify(s.Principal) === '{"Service":"fargate.amazonaws.com"}',
    );
    const clusterName = resource('templates/ecs.yaml', 'Cluster').props.ClusterName;
    const context = {
      'kms:EncryptionContext:aws:ecs:clusterAccount': { Ref: 'AWS::AccountId' },
      'kms:EncryptionContext:aws:ecs:clusterName': clusterName,
    };
    const byAction = Object.fromEntries(fargate.map((s) => [JSON.stringify(s.Action), s]));
    assert.deepEqual(Object.keys(byAction).sort(), [
      '"kms:CreateGrant"',
      '"kms:GenerateDataKeyWithoutPlaintext"',
    ]);
    const dataKeys = byAction['"kms:GenerateDataKeyWithoutPlaintext"']!;
    assert.deepEqual(dataKeys.Condition, { StringEquals: context });
    const grants = byAction['"kms:CreateGrant"']!;
    assert.deepEqual(grants.Condition, {
      StringEquals: context,
      'ForAllValues:StringEquals': { 'kms:GrantOperations': ['Decrypt'] },
    });
  });

  it('lets EventBridge re-encrypt archived events of the venue bus only', () => {
    const events = keyStatements.filter((s) =>
      asArray((s.Principal as Json).Service as string[]).includes('events.amazonaws.com'),
    );
    const busName = (resource('template.yaml', 'EventBus').props.Name as Json)['Fn::Sub'];
    const busArn = `arn:\${AWS::Partition}:events:\${AWS::Region}:\${AWS::AccountId}:event-bus/${busName}`;
    const granted = (action: string) => events.filter((s) => asArray(s.Action as string[]).includes(action));
    // EventBridge guide, "Encrypting EventBridge archives": DescribeKey, GenerateDataKey, Decrypt, ReEncrypt*
    for (const action of ['kms:DescribeKey', 'kms:GenerateDataKey*', 'kms:Decrypt', 'kms:ReEncrypt*'])
      assert.ok(granted(action).length > 0, action);
    for (const s of granted('kms:ReEncrypt*')) {
      const equals = (s.Condition as Json).StringEquals as Json;
      assert.deepEqual(equals['kms:EncryptionContext:aws:events:event-bus:arn'], { 'Fn::Sub': busArn });
    }
    const archive = resource('template.yaml', 'EventArchive').props;
    assert.deepEqual(references(archive.SourceArn), ['EventBus']);
  });

  it('is passed to every nested stack that declares a KmsKeyArn parameter', () => {
    for (const app of resourcesOf('AWS::Serverless::Application').filter((a) => a.file === 'template.yaml')) {
      const parameters = app.props.Parameters as Json;
      assert.ok(references(parameters.KmsKeyArn).includes('AppKey'), app.id);
    }
  });

  for (const [type, keyOf] of Object.entries(KEY_PROPERTY)) {
    const found = resourcesOf(type);
    it(`encrypts every ${type} (${found.length}) with the CMK`, () => {
      for (const located of found) {
        const name = `${located.file}#${located.id}`;
        if (EXEMPT[name]) continue;
        assert.ok(
          usesTheKey(located, keyOf(located.props, located)),
          `${name} is not encrypted with the CMK`,
        );
      }
    });
  }

  it('decrypts each function’s environment through the function’s own role', () => {
    const functions = resourcesOf('AWS::Serverless::Function', 'AWS::Lambda::Function');
    assert.ok(functions.length > 0);
    for (const fn of functions) {
      const [role] = references(fn.props.Role);
      const decrypts = (role ? policiesOf(resource(fn.file, role)).statements : []).filter(
        (s) =>
          s.effect === 'Allow' &&
          flatActions(s).includes('kms:Decrypt') &&
          references(s.resources).includes('AppKey'),
      );
      assert.ok(decrypts.length > 0, `${fn.id}'s role ${role} cannot decrypt its environment`);
    }
  });

  it('exempts only what is listed, and the exemptions still encrypt', () => {
    for (const name of Object.keys(EXEMPT)) {
      const [file, id] = name.split('#') as [string, string];
      const bucket = resource(file, id).props.BucketEncryption as Json;
      const rule = asArray(bucket.ServerSideEncryptionConfiguration as Json[])[0]!;
      assert.equal((rule.ServerSideEncryptionByDefault as Json).SSEAlgorithm, 'AES256');
    }
  });

  it('leaves no resource type that can hold data unchecked', () => {
    // Types that store or carry data and accept a customer-managed key.
    const encryptable = [
      ...Object.keys(KEY_PROPERTY),
      'AWS::Kinesis::Stream',
      'AWS::EFS::FileSystem',
      'AWS::SecretsManager::Secret',
      'AWS::SSM::Parameter',
      'AWS::RDS::DBInstance',
      'AWS::ElastiCache::ReplicationGroup',
      'AWS::StepFunctions::StateMachine',
      'AWS::Lambda::Function',
      'AWS::Serverless::Function',
    ];
    const present = new Set(
      Object.values(TEMPLATES).flatMap((t) => Object.values(t.Resources).map((r) => r.Type)),
    );
    for (const type of encryptable.filter((t) => present.has(t))) assert.ok(type in KEY_PROPERTY, type);
  });
});
