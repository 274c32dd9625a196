/**
 * Auditor: the pipelines can deploy what they are meant to deploy (ours: no scanner checks
 * that a role holds what CloudFormation, API Gateway or CodeDeploy will ask of it), and no more.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { REPO_ROOT } from '../../src/local/dynamodb-local.ts';
import {
  allStatements,
  asArray,
  flatActions,
  type Json,
  ROOT,
  resource,
  resourcesOf,
  type Statement,
  TEMPLATES,
} from '../helpers/templates.ts';

const PIPELINE = 'templates/pipeline.yaml';
const identity = allStatements().filter((s) => s.kind === 'identity' && s.effect === 'Allow');
const of = (owner: string) => identity.filter((s) => s.file === PIPELINE && s.owner === owner);
const text = (s: Statement) => JSON.stringify(s.resources);

describe('API pipeline', () => {
  it('may create change sets through every transform template.yaml declares', () => {
    const transforms = asArray(ROOT.Transform);
    assert.ok(transforms.length > 0);
    for (const transform of transforms) {
      const arn = `:cloudformation:\${AWS::Region}:aws:transform/${transform.replace(/^AWS::/, '')}`;
      const grants = of('ApiPipelineRole').filter(
        (s) => flatActions(s).includes('cloudformation:CreateChangeSet') && text(s).includes(arn),
      );
      assert.equal(grants.length, 1, `ApiPipelineRole cannot CreateChangeSet through ${transform}`);
    }
  });
});

describe('CloudFormation deploy role', () => {
  const deploy = of('CloudFormationDeployRole');
  const granted = (action: string) => deploy.filter((s) => flatActions(s).includes(action));

  it('can turn on the HTTP API access logging the root template configures', () => {
    const logged = resourcesOf('AWS::Serverless::HttpApi', 'AWS::ApiGatewayV2::Stage').filter(
      (api) => api.props.AccessLogSettings,
    );
    assert.ok(logged.length > 0);
    // API Gateway guide, "Configuring logging for an HTTP API": these accept only "*"
    for (const action of [
      'logs:CreateLogDelivery',
      'logs:GetLogDelivery',
      'logs:UpdateLogDelivery',
      'logs:DeleteLogDelivery',
      'logs:ListLogDeliveries',
      'logs:PutResourcePolicy',
      'logs:DescribeResourcePolicies',
    ]) {
      assert.ok(
        granted(action).some((s) => s.resources.includes('*')),
        `${action} on "*" is missing`,
      );
    }
    // …and this one takes the log group
    const create = [...granted('logs:CreateLogGroup'), ...granted('logs:*')];
    assert.ok(
      create.some((s) => text(s).includes('log-group:/aws/apigateway/${AppName}-${Stage}-')),
      'logs:CreateLogGroup on the API log group is missing',
    );
  });
});

describe('worker pipeline', () => {
  const worker = of('WorkerPipelineRole');

  it('passes exactly the worker task definition’s two roles, to ECS tasks only', () => {
    const pass = worker.filter((s) => flatActions(s).includes('iam:PassRole'));
    assert.equal(pass.length, 1);
    assert.deepEqual(pass[0]!.resources, [{ Ref: 'WorkerTaskRoleArn' }, { Ref: 'WorkerExecutionRoleArn' }]);
    assert.deepEqual(pass[0]!.condition, {
      StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' },
    });
    // …and those parameters are the roles the task definition names
    const stack = resource('template.yaml', 'PipelineStack').props.Parameters as Json;
    assert.deepEqual(stack.WorkerTaskRoleArn, { 'Fn::GetAtt': ['WorkerStack', 'Outputs.TaskRoleArn'] });
    assert.deepEqual(stack.WorkerExecutionRoleArn, {
      'Fn::GetAtt': ['WorkerStack', 'Outputs.ExecutionRoleArn'],
    });
    const outputs = TEMPLATES['templates/ecs.yaml']!.Outputs!;
    const task = resource('templates/ecs.yaml', 'WorkerTaskDefinition').props;
    assert.deepEqual(outputs.TaskRoleArn!.Value, task.TaskRoleArn);
    assert.deepEqual(outputs.ExecutionRoleArn!.Value, task.ExecutionRoleArn);
  });

  it('reads the tasks of the worker cluster only', () => {
    const describe = worker.find((s) => flatActions(s).includes('ecs:DescribeTasks'))!;
    assert.match(text(describe), /:task\/\$\{WorkerClusterName\}\/\*/);
    const list = worker.find((s) => flatActions(s).includes('ecs:ListTasks'))!;
    assert.deepEqual(flatActions(list), ['ecs:ListTasks']);
    assert.match(JSON.stringify(list.condition), /"ecs:cluster":.*:cluster\/\$\{WorkerClusterName\}/);
  });
});

describe('the Lambda build keeps the worker image the service runs', () => {
  const spec = parse(readFileSync(join(REPO_ROOT, 'buildspecs/lambda.yml'), 'utf8')) as Json;
  const commands = ((spec.phases as Record<string, Json>).build!.commands as string[]) ?? [];
  const block = commands.find((c) => c.includes('template-config.json'));

  /** Runs the buildspec's parameters block with a stub `aws` that answers like the CLI. */
  function run(image: string): Json {
    const dir = mkdtempSync(join(tmpdir(), 'lambda-build-'));
    try {
      const stub = join(dir, 'aws');
      writeFileSync(
        stub,
        [
          '#!/bin/bash',
          'case "$1 $2" in',
          `  "cloudformation describe-stacks") echo '[{"ParameterKey":"Stage","ParameterValue":"prod"},{"ParameterKey":"WorkerImageTag","ParameterValue":"bootstrap"}]' ;;`,
          '  "ecs describe-services") [ "$4" = "$WORKER_CLUSTER" ] && echo "arn:aws:ecs:us-east-1:111122223333:task-definition/venue-hub-prod-worker:7" ;;',
          `  "ecs describe-task-definition") echo '${image}' ;;`,
          'esac',
        ].join('\n'),
      );
      chmodSync(stub, 0o755);
      execFileSync('bash', ['-e', '-c', block!], {
        cwd: dir,
        env: {
          ...process.env,
          PATH: `${dir}:${process.env.PATH}`,
          API_STACK_NAME: 'venue-hub-prod',
          WORKER_CLUSTER: 'venue-hub-prod',
          WORKER_SERVICE: 'venue-hub-prod-worker',
        },
        stdio: ['ignore', 'ignore', 'ignore'],
      });
      return JSON.parse(readFileSync(join(dir, 'template-config.json'), 'utf8')) as Json;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('writes the running image’s tag into WorkerImageTag, keeping every other parameter', () => {
    assert.ok(block, 'no command writes template-config.json');
    const config = run('111122223333.dkr.ecr.us-east-1.amazonaws.com/venue-hub-prod-worker:0123456789ab-42');
    assert.deepEqual(config, { Parameters: { Stage: 'prod', WorkerImageTag: '0123456789ab-42' } });
  });

  it('keeps the stack’s WorkerImageTag when the service’s image has no tag to read', () => {
    assert.deepEqual(run('None'), { Parameters: { Stage: 'prod', WorkerImageTag: 'bootstrap' } });
    const digest = '111122223333.dkr.ecr.us-east-1.amazonaws.com/venue-hub-prod-worker@sha256:abcdef';
    assert.deepEqual(run(digest), { Parameters: { Stage: 'prod', WorkerImageTag: 'bootstrap' } });
  });

  it('may read exactly the worker service and task definitions, and knows their names', () => {
    const build = of('LambdaBuildRole');
    const services = build.filter((s) => flatActions(s).includes('ecs:DescribeServices'));
    assert.deepEqual(
      services.flatMap((s) => s.resources),
      [
        {
          'Fn::Sub':
            'arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:service/${WorkerClusterName}/${WorkerServiceName}',
        },
      ],
    );
    assert.ok(build.some((s) => flatActions(s).includes('ecs:DescribeTaskDefinition')));
    const ecsActions = build.flatMap(flatActions).filter((a) => a.startsWith('ecs:'));
    assert.deepEqual(ecsActions.sort(), ['ecs:DescribeServices', 'ecs:DescribeTaskDefinition']);
    const env = ((resource(PIPELINE, 'LambdaBuildProject').props.Environment as Json).EnvironmentVariables ??
      []) as Json[];
    const byName = Object.fromEntries(env.map((e) => [e.Name, e.Value]));
    assert.deepEqual(byName.WORKER_CLUSTER, { Ref: 'WorkerClusterName' });
    assert.deepEqual(byName.WORKER_SERVICE, { Ref: 'WorkerServiceName' });
    // the container the buildspec reads is the task definition's
    const container = (
      resource('templates/ecs.yaml', 'WorkerTaskDefinition').props.ContainerDefinitions as Json[]
    )[0]!;
    assert.match(block!, new RegExp(`name=='${container.Name}'`));
  });
});
