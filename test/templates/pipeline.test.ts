/**
 * Auditor: the pipelines can deploy what they are meant to deploy (ours: no scanner checks
 * that a role holds what CloudFormation, API Gateway or CodeDeploy will ask of it), and no more.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
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
