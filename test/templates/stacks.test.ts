/**
 * Auditor: the stacks fit together and the platform is complete. Nested stacks get exactly
 * the parameters they declare and expose the outputs the root reads; every log group has a
 * retention; each of the 18 services of MISSION.md is present; the AppConfig rules are wired.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  asArray,
  flatActions,
  type Json,
  policiesOf,
  ROOT,
  references,
  resource,
  resourcesOf,
  TEMPLATES,
} from '../helpers/templates.ts';

const NESTED: Record<string, string> = {
  NetworkStack: 'templates/network.yaml',
  DataStack: 'templates/data.yaml',
  WorkerStack: 'templates/ecs.yaml',
  PipelineStack: 'templates/pipeline.yaml',
};

/** MISSION.md's 18 services → resource types that prove each one is there. */
const SERVICES: Record<string, string[]> = {
  CloudFront: ['AWS::CloudFront::Distribution'],
  S3: ['AWS::S3::Bucket'],
  Cognito: ['AWS::Cognito::UserPool', 'AWS::Cognito::UserPoolGroup', 'AWS::Cognito::UserPoolClient'],
  'API Gateway V2': ['AWS::Serverless::HttpApi'],
  Lambda: ['AWS::Serverless::Function'],
  'ECS Fargate': ['AWS::ECS::Cluster', 'AWS::ECS::TaskDefinition', 'AWS::ECS::Service'],
  ECR: ['AWS::ECR::Repository'],
  DynamoDB: ['AWS::DynamoDB::Table'],
  EventBridge: ['AWS::Events::EventBus', 'AWS::Events::Rule', 'AWS::Events::Archive'],
  SNS: ['AWS::SNS::Topic', 'AWS::SNS::Subscription'],
  SQS: ['AWS::SQS::Queue'],
  AppConfig: [
    'AWS::AppConfig::Application',
    'AWS::AppConfig::Environment',
    'AWS::AppConfig::ConfigurationProfile',
    'AWS::AppConfig::HostedConfigurationVersion',
    'AWS::AppConfig::DeploymentStrategy',
    'AWS::AppConfig::Deployment',
  ],
  KMS: ['AWS::KMS::Key'],
  IAM: ['AWS::IAM::Role'],
  CodeCommit: ['AWS::CodeCommit::Repository'],
  CodeBuild: ['AWS::CodeBuild::Project'],
  CodeDeploy: ['AWS::Serverless::Function'],
  CodePipeline: ['AWS::CodePipeline::Pipeline'],
};

describe('nested stacks', () => {
  for (const [id, file] of Object.entries(NESTED)) {
    it(`${id} → ${file}: every parameter it needs is passed, and nothing unknown`, () => {
      const app = resource('template.yaml', id);
      assert.equal(app.resource.Type, 'AWS::Serverless::Application');
      assert.equal(app.props.Location, file);
      const declared = TEMPLATES[file]?.Parameters ?? {};
      const passed = Object.keys(app.props.Parameters as Json);
      for (const name of passed) assert.ok(name in declared, `${id} passes unknown ${name}`);
      for (const [name, spec] of Object.entries(declared)) {
        if (spec.Default === undefined) assert.ok(passed.includes(name), `${id} misses ${name}`);
      }
      for (const shared of ['AppName', 'Stage']) assert.ok(passed.includes(shared), `${id} ${shared}`);
    });
  }

  it('expose every output the root reads', () => {
    const text = JSON.stringify(ROOT.Resources) + JSON.stringify(ROOT.Outputs);
    const reads = [...text.matchAll(/"(\w+Stack)","Outputs\.(\w+)"|\$\{(\w+Stack)\.Outputs\.(\w+)\}/g)].map(
      (m) => [m[1] ?? m[3], m[2] ?? m[4]],
    );
    assert.ok(reads.length > 10);
    for (const [stack, output] of reads) {
      const outputs = TEMPLATES[NESTED[stack!]!]?.Outputs ?? {};
      assert.ok(output! in outputs, `${stack}.Outputs.${output} does not exist`);
    }
  });

  it('share the same AppName, Stage and LogRetentionDays definitions', () => {
    for (const [file, template] of Object.entries(TEMPLATES)) {
      for (const name of ['AppName', 'Stage']) {
        assert.deepEqual(
          template.Parameters?.[name]?.AllowedValues,
          ROOT.Parameters?.[name]?.AllowedValues,
          `${file} ${name}`,
        );
        assert.equal(
          template.Parameters?.[name]?.AllowedPattern,
          ROOT.Parameters?.[name]?.AllowedPattern,
          `${file} ${name}`,
        );
      }
      const retention = template.Parameters?.LogRetentionDays;
      if (retention)
        assert.deepEqual(retention.AllowedValues, ROOT.Parameters?.LogRetentionDays?.AllowedValues, file);
    }
  });
});

describe('DynamoDB tables', () => {
  it('all keep point-in-time recovery on (cfn-nag W78, checkov CKV_AWS_28)', () => {
    const tables = resourcesOf('AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable');
    assert.equal(tables.length, 5);
    for (const t of tables) {
      const pitr = t.props.PointInTimeRecoverySpecification as Json | undefined;
      assert.equal(pitr?.PointInTimeRecoveryEnabled, true, `${t.id} has no point-in-time recovery`);
    }
  });
});

describe('log groups', () => {
  it('all have a retention from LogRetentionDays', () => {
    const groups = resourcesOf('AWS::Logs::LogGroup');
    assert.ok(groups.length >= 7);
    for (const g of groups) assert.deepEqual(references(g.props.RetentionInDays), ['LogRetentionDays'], g.id);
  });
});

describe('the 18 services of MISSION.md', () => {
  const types = new Set(
    Object.values(TEMPLATES).flatMap((t) => Object.values(t.Resources).map((r) => r.Type)),
  );

  it('are 18', () => {
    assert.equal(Object.keys(SERVICES).length, 18);
  });

  for (const [service, needed] of Object.entries(SERVICES)) {
    it(`${service} is present`, () => {
      for (const type of needed) assert.ok(types.has(type), `${service}: no ${type}`);
    });
  }

  it('CodeDeploy shifts alias traffic for every function', () => {
    for (const fn of resourcesOf('AWS::Serverless::Function')) {
      assert.ok((fn.props.DeploymentPreference as Json | undefined)?.Type, fn.id);
    }
  });
});

describe('AppConfig wiring', () => {
  it('deploys the hosted rules version of the validated profile to the stage environment', () => {
    const deployment = resource('template.yaml', 'VenueRulesDeployment').props;
    assert.deepEqual(references(deployment.ConfigurationVersion), ['VenueRulesVersion']);
    assert.deepEqual(references(deployment.ConfigurationProfileId), ['VenueRulesProfile']);
    assert.deepEqual(references(deployment.EnvironmentId), ['VenueRulesEnvironment']);
    const profile = resource('template.yaml', 'VenueRulesProfile').props;
    assert.equal(profile.LocationUri, 'hosted');
    assert.deepEqual(
      (profile.Validators as Json[]).map((v) => v.Type),
      ['JSON_SCHEMA', 'LAMBDA'],
    );
  });

  it('has the bundles check the rules before AppConfig deploys them (ADR 0506)', () => {
    const profile = resource('template.yaml', 'VenueRulesProfile').props;
    const lambda = (profile.Validators as Json[]).find((v) => v.Type === 'LAMBDA')!;
    // the function's alias: the version CodeDeploy has shifted to, like every other caller
    assert.deepEqual(lambda.Content, { Ref: 'RulesValidatorFunction.Alias' });
    const fn = resource('template.yaml', 'RulesValidatorFunction');
    assert.equal((fn.resource.Metadata as Json).BuildMethod, 'makefile');
    // AppConfig invokes it as a service principal, on the alias and nothing else
    const permissions = resourcesOf('AWS::Lambda::Permission').filter(
      (p) => p.props.Principal === 'appconfig.amazonaws.com',
    );
    assert.deepEqual(
      permissions.map((p) => [p.id, p.props.Action, p.props.FunctionName]),
      [['RulesValidatorInvokePermission', 'lambda:InvokeFunction', { Ref: 'RulesValidatorFunction.Alias' }]],
    );
    // the stack's own first deployment is validated too: the permission must come first
    const deployment = resource('template.yaml', 'VenueRulesDeployment').resource;
    assert.ok(asArray(deployment.DependsOn as unknown[]).includes('RulesValidatorInvokePermission'));
    // it reads only the event: its role grants logs, traces and the environment's key, no data
    const { statements } = policiesOf(resource('template.yaml', 'RulesValidatorRole'));
    const actions = statements.flatMap(flatActions);
    assert.deepEqual(actions.sort(), [
      'kms:Decrypt',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'xray:PutTelemetryRecords',
      'xray:PutTraceSegments',
    ]);
  });
});
