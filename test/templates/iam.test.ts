/**
 * Auditor: IAM least privilege (cfn-nag F3/F4/F5/W11/W12/W13/F38/F39/W43, checkov
 * CKV_AWS_62/63/107–111). No `*` action; a service-wide `svc:*` or a `*` resource only where
 * the allowlist below says why; PassRole always narrowed; one role per function and task.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../../src/local/dynamodb-local.ts';
import {
  allStatements,
  asArray,
  flatActions,
  type Json,
  references,
  resource,
  resourcesOf,
  type Statement,
} from '../helpers/templates.ts';

/** `file#owner#sid` → why this statement may use `Resource: '*'`. */
const STAR_RESOURCE_ALLOWED: Record<string, string> = {
  'template.yaml#VenueApiRole#Tracing': 'X-Ray PutTraceSegments/PutTelemetryRecords accept only "*"',
  'template.yaml#NotificationFanoutRole#Tracing':
    'X-Ray PutTraceSegments/PutTelemetryRecords accept only "*"',
  'template.yaml#PostConfirmationRole#Tracing': 'X-Ray PutTraceSegments/PutTelemetryRecords accept only "*"',
  'template.yaml#RulesValidatorRole#Tracing': 'X-Ray PutTraceSegments/PutTelemetryRecords accept only "*"',
  'template.yaml#OutboxSweeperRole#Tracing': 'X-Ray PutTraceSegments/PutTelemetryRecords accept only "*"',
  'templates/ecs.yaml#WorkerExecutionRole#RegistryLogin': 'ecr:GetAuthorizationToken accepts only "*"',
  'templates/pipeline.yaml#WorkerBuildRole#RegistryLogin': 'ecr:GetAuthorizationToken accepts only "*"',
  'templates/pipeline.yaml#WorkerPipelineRole#EcsTaskDefinitions':
    'ECS RegisterTaskDefinition/DescribeTaskDefinition accept only "*"',
  'templates/pipeline.yaml#LambdaBuildRole#ReadWorkerTaskDefinition':
    'ecs:DescribeTaskDefinition accepts only "*"',
  'templates/pipeline.yaml#WorkerPipelineRole#EcsListTasks':
    'ecs:ListTasks is authorized on container instances (none on Fargate); bounded by the ecs:cluster condition',
  'templates/pipeline.yaml#CloudFormationDeployRole#ApplicationServices':
    'CloudFormation creates resources whose ids are generated at creation (no narrower ARN exists)',
  'templates/pipeline.yaml#CloudFormationDeployRole#ApiAccessLogDelivery':
    'HTTP API access logging: logs:*LogDelivery, PutResourcePolicy and DescribeResourcePolicies have no resource type (accept only "*")',
  'templates/pipeline.yaml#CloudFormationDeployRole#FlowLogHandlerReads':
    'autoscaling:DescribeTags (the flow log handler’s create step) has no resource type (accepts only "*")',
  'templates/pipeline.yaml#CloudFormationDeployRole#EventBusPermissions':
    'events:PutPermission/RemovePermission have no resource type (accept only "*")',
  'templates/pipeline.yaml#CloudFormationDeployRole#EcsUnscoped':
    'task definition registration and the account settings of the cluster handler accept only "*"',
  'template.yaml#RoleBoundary#ServiceActions':
    'a permissions boundary only caps actions; each bounded role’s own policy names its resources (ADR 0505)',
};

/** `file#owner#sid` → why this statement may use service-wide `svc:*` actions. */
const SERVICE_WILDCARD_ALLOWED: Record<string, string> = {
  'templates/pipeline.yaml#CloudFormationDeployRole#EventBridge':
    'CloudFormation manages the bus, archive and rules (by name)',
  'templates/pipeline.yaml#CloudFormationDeployRole#Ecs':
    'CloudFormation manages the cluster, service and task definition family (by name)',
  'templates/pipeline.yaml#CloudFormationDeployRole#Stacks':
    'CloudFormation manages the stack and its nested stacks',
  'templates/pipeline.yaml#CloudFormationDeployRole#NamedResources':
    'CloudFormation manages the resources named after the application (by name prefix)',
  'templates/pipeline.yaml#CloudFormationDeployRole#ApplicationServices':
    'CloudFormation creates, updates and deletes the resource types whose ids are generated',
};

/** `file#owner#sid` → why this iam:PassRole statement names no iam:PassedToService. */
const PASS_ROLE_ANY_SERVICE_ALLOWED: Record<string, string> = {
  'templates/pipeline.yaml#CloudFormationDeployRole#PassStackRoles':
    'the service flow logs pass their role to is undocumented for CloudWatch Logs; every role it may pass carries the boundary except the deploy role, which only CloudFormation can assume (ADR 0505)',
};

/** `file#role#policy name` → why this role may carry an AWS managed policy (broad, changed by AWS). */
const AWS_MANAGED_POLICY_ALLOWED: Record<string, string> = {};

const name = (s: Statement) => `${s.file}#${s.owner}#${s.sid ?? '?'}`;
const allows = allStatements().filter((s) => s.effect === 'Allow');
const identity = allows.filter((s) => s.kind === 'identity');

describe('IAM statements', () => {
  it('are found in every template that defines roles', () => {
    const files = new Set(identity.map((s) => s.file));
    for (const file of [
      'template.yaml',
      'templates/ecs.yaml',
      'templates/pipeline.yaml',
      'templates/network.yaml',
    ]) {
      assert.ok(files.has(file), file);
    }
  });

  it('never allow the "*" action, NotAction or NotResource', () => {
    for (const s of allows) {
      assert.ok(!flatActions(s).includes('*'), `${name(s)} allows "*"`);
      assert.deepEqual(s.notActions, [], `${name(s)} uses NotAction`);
    }
  });

  it('use service-wide "svc:*" actions only where allowlisted', () => {
    for (const s of identity) {
      if (flatActions(s).some((a) => a.endsWith(':*'))) {
        assert.ok(SERVICE_WILDCARD_ALLOWED[name(s)], `${name(s)} uses a service-wide action`);
      }
    }
  });

  it('use the "*" resource only where allowlisted with a reason', () => {
    for (const s of identity) {
      if (s.resources.includes('*')) assert.ok(STAR_RESOURCE_ALLOWED[name(s)], `${name(s)} has Resource "*"`);
    }
  });

  it('keep their allowlists honest: every entry is still needed', () => {
    const names = new Set(identity.map(name));
    for (const entry of [
      ...Object.keys(STAR_RESOURCE_ALLOWED),
      ...Object.keys(SERVICE_WILDCARD_ALLOWED),
      ...Object.keys(PASS_ROLE_ANY_SERVICE_ALLOWED),
    ]) {
      assert.ok(names.has(entry), `allowlisted ${entry} no longer exists`);
    }
    for (const entry of Object.keys(STAR_RESOURCE_ALLOWED)) {
      assert.ok(
        identity.find((s) => name(s) === entry)?.resources.includes('*'),
        `${entry} no longer needs "*"`,
      );
    }
  });

  it('never allow iam:PassRole on "*", and name the service the role is passed to', () => {
    for (const s of identity.filter((s) => flatActions(s).includes('iam:PassRole'))) {
      assert.ok(!s.resources.includes('*'), `${name(s)} passes any role`);
      if (PASS_ROLE_ANY_SERVICE_ALLOWED[name(s)]) continue;
      assert.ok(
        JSON.stringify(s.condition).includes('iam:PassedToService'),
        `${name(s)} lacks iam:PassedToService`,
      );
    }
  });

  it('limit the deploy role to resources named after the application where names are known', () => {
    const deploy = identity.filter((s) => s.owner === 'CloudFormationDeployRole');
    const named = deploy.find((s) => s.sid === 'NamedResources')!;
    for (const r of named.resources) assert.match(JSON.stringify(r), /\$\{AppName\}-\$\{Stage\}/);
    // EventBridge and ECS by name too (the archive's key is the app key)
    for (const sid of ['EventBridge', 'Ecs']) {
      const statement = deploy.find((s) => s.sid === sid)!;
      for (const r of statement.resources)
        assert.match(JSON.stringify(r), /\$\{AppName\}-\$\{Stage\}|\$\{ApiStackName\}-|"KmsKeyArn"/, sid);
    }
    const open = deploy.find((s) => s.sid === 'ApplicationServices')!;
    for (const service of [
      'dynamodb',
      'ecs',
      'events',
      'lambda',
      'sns',
      'sqs',
      'ecr',
      'logs',
      'iam',
      'kms',
      'codebuild',
      'codepipeline',
    ]) {
      assert.ok(!flatActions(open).includes(`${service}:*`), `${service}:* on "*"`);
    }
  });

  it('grant resource-policy access to named principals only, never "*"', () => {
    for (const s of allows.filter((s) => s.kind === 'resource')) {
      const principal = s.principal as Json | string | undefined;
      assert.ok(principal !== '*' && (principal as Json)?.AWS !== '*', `${name(s)} allows any principal`);
    }
  });
});

describe('managed policies', () => {
  const roles = resourcesOf('AWS::IAM::Role');
  const arnsOf = (role: (typeof roles)[number]) =>
    asArray(role.props.ManagedPolicyArns as unknown[]).map((arn) => JSON.stringify(arn));

  it('are never AWS managed ones unless allowlisted with a reason', () => {
    for (const role of roles) {
      for (const arn of arnsOf(role)) {
        const aws = arn.match(/:iam::aws:policy\/(?:[\w-]+\/)*([\w-]+)/);
        if (aws) {
          const key = `${role.file}#${role.id}#${aws[1]}`;
          assert.ok(AWS_MANAGED_POLICY_ALLOWED[key], `${key}: AWS managed policy`);
        }
      }
    }
    for (const key of Object.keys(AWS_MANAGED_POLICY_ALLOWED)) {
      const [file, id, policy] = key.split('#');
      const role = roles.find((r) => r.file === file && r.id === id);
      assert.ok(
        role && arnsOf(role).some((a) => a.includes(`/${policy}`)),
        `allowlisted ${key} no longer exists`,
      );
    }
  });

  it('are read by this auditor when the templates define their own', () => {
    const own = resourcesOf('AWS::IAM::ManagedPolicy').map((p) => p.id);
    for (const id of own)
      assert.ok(
        identity.some((s) => s.owner === id),
        `${id} has no statements read`,
      );
  });

  it('are not generated by SAM: every deployment preference names its CodeDeploy role', () => {
    for (const fn of resourcesOf('AWS::Serverless::Function')) {
      const preference = fn.props.DeploymentPreference as Json | undefined;
      if (preference)
        assert.ok(preference.Role, `${fn.id}: SAM would create a role with AWSCodeDeployRoleForLambda`);
    }
  });
});

/** Every TypeScript file of src that ships (the local hub's files never run in AWS). */
function shippedSource(): string {
  const files = readdirSync(join(REPO_ROOT, 'src'), { recursive: true, encoding: 'utf8' }).filter(
    (f) => f.endsWith('.ts') && !f.startsWith('local'),
  );
  return files.map((f) => readFileSync(join(REPO_ROOT, 'src', f), 'utf8')).join('\n');
}

describe('DynamoDB permissions', () => {
  const source = shippedSource();
  const dynamo = identity.filter((s) => flatActions(s).some((a) => a.startsWith('dynamodb:')));

  it('name batch and condition-check actions only when the code builds such requests', () => {
    const built: Record<string, RegExp> = {
      'dynamodb:BatchWriteItem': /BatchWrite(Item)?Command/,
      'dynamodb:BatchGetItem': /BatchGet(Item)?Command/,
      'dynamodb:ConditionCheckItem': /ConditionCheck\s*:/,
      'dynamodb:TransactGetItems': /TransactGet(Items)?Command/,
    };
    for (const s of dynamo) {
      for (const [action, pattern] of Object.entries(built)) {
        if (flatActions(s).includes(action))
          assert.match(source, pattern, `${name(s)} grants ${action}, which src never sends`);
      }
    }
  });

  it('give the worker exactly what its store calls need: tables, actions and indexes', () => {
    const worker = identity.filter(
      (s) => s.owner === 'WorkerTaskRole' && flatActions(s).some((a) => a.startsWith('dynamodb:')),
    );
    const granted = worker.flatMap((s) =>
      s.resources.flatMap((r) => flatActions(s).map((a) => `${a} ${JSON.stringify(r)}`)),
    );
    assert.deepEqual(granted.sort(), [
      'dynamodb:DeleteItem {"Ref":"QueueStateTableArn"}',
      'dynamodb:GetItem {"Ref":"QueueStateTableArn"}',
      'dynamodb:Query {"Fn::Sub":"${PickupSlotsTableArn}/index/byVenueTime"}',
      'dynamodb:Query {"Fn::Sub":"${QueueStateTableArn}/index/byVenueStatus"}',
      'dynamodb:UpdateItem {"Ref":"QueueStateTableArn"}',
    ]);
    // the indexes are the ones the worker's store methods query
    const queueStore = readFileSync(join(REPO_ROOT, 'src/adapters/dynamodb/queue-store.ts'), 'utf8');
    assert.match(queueStore.slice(queueStore.indexOf('async listActive')), /IndexName: 'byVenueStatus'/);
    assert.equal(
      identity.some((s) => s.owner === 'WorkerTaskRole' && flatActions(s).includes('events:PutEvents')),
      false,
      'the worker publishes no event: the outbox is the sweeper’s (ADR 0311)',
    );
  });

  it('give the outbox sweeper exactly what the sweep needs: the pending index, the marks, the bus', () => {
    const sweeper = identity.filter((s) => s.owner === 'OutboxSweeperRole');
    const granted = sweeper
      .filter((s) => !['Logs', 'Tracing'].includes(String(s.sid)))
      .flatMap((s) => s.resources.flatMap((r) => flatActions(s).map((a) => `${a} ${JSON.stringify(r)}`)));
    assert.deepEqual(granted.sort(), [
      'dynamodb:Query {"Fn::Sub":"${DataStack.Outputs.ReservationsTableArn}/index/pendingOutbox"}',
      'dynamodb:UpdateItem {"Fn::GetAtt":["DataStack","Outputs.ReservationsTableArn"]}',
      'events:PutEvents {"Fn::GetAtt":["EventBus","Arn"]}',
      'kms:Decrypt {"Fn::GetAtt":["AppKey","Arn"]}',
      'kms:GenerateDataKey {"Fn::GetAtt":["AppKey","Arn"]}',
      'sqs:SendMessage {"Fn::GetAtt":["OutboxSweepFailureQueue","Arn"]}',
    ]);
    // its updates reach the outbox items alone, never a reservation of the same table
    const marks = sweeper.find((s) => flatActions(s).includes('dynamodb:UpdateItem'));
    assert.deepEqual(marks?.condition, {
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['OUTBOX#*'] },
    });
    // the index and the writes are the ones the outbox store's sweep methods use
    const outbox = readFileSync(join(REPO_ROOT, 'src/adapters/dynamodb/outbox-store.ts'), 'utf8');
    assert.match(outbox.slice(outbox.indexOf('async listPending')), /IndexName: 'pendingOutbox'/);
    for (const method of ['async markPublished', 'async deferRefused'])
      assert.match(outbox.slice(outbox.indexOf(method)), /new UpdateCommand/);
  });

  it('leave the worker’s execution role without the key (ECR and CloudWatch Logs need none)', () => {
    const execution = identity.filter((s) => s.owner === 'WorkerExecutionRole');
    assert.ok(execution.length > 0);
    for (const s of execution) assert.ok(!flatActions(s).some((a) => a.startsWith('kms:')), name(s));
  });

  it('let the image build push, not pull or list', () => {
    const push = identity.find((s) => s.owner === 'WorkerBuildRole' && s.sid === 'PushWorkerImage')!;
    assert.deepEqual(flatActions(push).sort(), [
      'ecr:BatchCheckLayerAvailability',
      'ecr:BatchGetImage',
      'ecr:CompleteLayerUpload',
      'ecr:InitiateLayerUpload',
      'ecr:PutImage',
      'ecr:UploadLayerPart',
    ]);
  });
});

describe('CodeDeploy role', () => {
  const statements = identity.filter(
    (s) => s.file === 'template.yaml' && s.owner === 'CodeDeployServiceRole',
  );
  const functions = resourcesOf('AWS::Serverless::Function');

  it('shifts only the aliases of the app’s functions and reads only the app’s alarms', () => {
    const actions = statements.flatMap(flatActions).sort();
    const hooks = functions.some((fn) => (fn.props.DeploymentPreference as Json | undefined)?.Hooks);
    assert.deepEqual(
      actions,
      [
        'cloudwatch:DescribeAlarms',
        'lambda:GetAlias',
        'lambda:GetProvisionedConcurrencyConfig',
        'lambda:UpdateAlias',
        ...(hooks ? ['lambda:InvokeFunction'] : []),
      ].sort(),
    );
    for (const s of statements) {
      assert.ok(!s.resources.includes('*'), `${s.sid} on "*"`);
      for (const r of s.resources) assert.match(JSON.stringify(r), /\$\{AppName\}-\$\{Stage\}-\*/);
    }
    for (const fn of functions) {
      assert.match(JSON.stringify(fn.props.FunctionName), /\$\{AppName\}-\$\{Stage\}-/, fn.id);
      const alarms = references((fn.props.DeploymentPreference as Json).Alarms);
      for (const alarm of alarms) {
        const alarmName = JSON.stringify(resource('template.yaml', alarm).props.AlarmName);
        assert.match(alarmName ?? '', /\$\{AppName\}-\$\{Stage\}-/, `${alarm} has no name under the prefix`);
      }
    }
  });
});

describe('roles', () => {
  const functions = resourcesOf('AWS::Serverless::Function', 'AWS::Lambda::Function');
  const tasks = resourcesOf('AWS::ECS::TaskDefinition');

  const roleOf = (value: unknown) => {
    const [id] = references(value);
    return id;
  };

  it('one per function: an explicit role of its own, no SAM-generated policies', () => {
    const used = new Set<string>();
    for (const fn of functions) {
      assert.equal(fn.props.Policies, undefined, `${fn.id} uses SAM Policies (an implicit role)`);
      const role = roleOf(fn.props.Role);
      assert.ok(role, `${fn.id} has no Role`);
      assert.equal(resource(fn.file, role).resource.Type, 'AWS::IAM::Role');
      assert.ok(!used.has(role), `${role} is shared`);
      used.add(role);
      const trust = JSON.stringify(resource(fn.file, role).props.AssumeRolePolicyDocument);
      assert.match(trust, /lambda\.amazonaws\.com/);
    }
    assert.equal(used.size, 5);
  });

  it('one task role and one execution role per task definition, trusted by ECS tasks only', () => {
    assert.equal(tasks.length, 1);
    for (const task of tasks) {
      const taskRole = roleOf(task.props.TaskRoleArn);
      const executionRole = roleOf(task.props.ExecutionRoleArn);
      assert.ok(taskRole && executionRole && taskRole !== executionRole);
      for (const role of [taskRole, executionRole]) {
        const trust = resource(task.file, role!).props.AssumeRolePolicyDocument as Json;
        const principals = asArray(trust.Statement as Json[]).map((s) => JSON.stringify(s.Principal));
        assert.deepEqual(principals, ['{"Service":"ecs-tasks.amazonaws.com"}']);
      }
    }
  });

  it('are never shared between components (functions, tasks, builds, pipelines)', () => {
    const users = new Map<string, string[]>();
    const use = (file: string, role: string | undefined, user: string) => {
      if (!role) return;
      const key = `${file}#${role}`;
      users.set(key, [...(users.get(key) ?? []), user]);
    };
    for (const fn of functions) use(fn.file, roleOf(fn.props.Role), fn.id);
    for (const task of tasks) {
      use(task.file, roleOf(task.props.TaskRoleArn), task.id);
      use(task.file, roleOf(task.props.ExecutionRoleArn), `${task.id} (execution)`);
    }
    for (const project of resourcesOf('AWS::CodeBuild::Project'))
      use(project.file, roleOf(project.props.ServiceRole), project.id);
    for (const pipeline of resourcesOf('AWS::CodePipeline::Pipeline'))
      use(pipeline.file, roleOf(pipeline.props.RoleArn), pipeline.id);
    for (const [role, list] of users) assert.equal(list.length, 1, `${role} is used by ${list.join(', ')}`);
  });

  it('scope table access of each function to the tables it uses', () => {
    const tablesOf = (role: string) =>
      JSON.stringify(resource('template.yaml', role).props.Policies)
        .match(/Outputs\.(\w+)TableArn/g)
        ?.map((m) => m.replace(/Outputs\.|TableArn/g, ''));
    assert.deepEqual([...new Set(tablesOf('NotificationFanoutRole'))].sort(), [
      'Events',
      'PickupSlots',
      'Preferences',
      'QueueState',
    ]);
    // the fan-out writes only its delivery markers (preferences table); everything else it reads
    const writes = identity
      .filter((s) => s.owner === 'NotificationFanoutRole')
      .filter((s) => flatActions(s).some((a) => /^dynamodb:(Put|Update|Delete|BatchWrite)/.test(a)));
    assert.deepEqual(
      writes.flatMap((s) =>
        s.resources.flatMap((r) => JSON.stringify(r).match(/Outputs\.(\w+)TableArn/)?.[1] ?? []),
      ),
      ['Preferences'],
    );
    assert.equal(tablesOf('PostConfirmationRole'), undefined);
    assert.deepEqual([...new Set(tablesOf('VenueApiRole'))].sort(), [
      'Events',
      'PickupSlots',
      'Preferences',
      'QueueState',
      'Reservations',
    ]);
  });
});
