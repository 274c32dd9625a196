/**
 * Auditor: the worker's container (checkov CKV_AWS_65 / 51 / 163 / 136, cfn-nag W79, ours for
 * the task settings and the Dockerfile), its network (no internet route; endpoints), and the
 * build projects (privileged mode only on the image build; cfn-nag W32, CKV_AWS_78).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { REPO_ROOT } from '../../src/local/dynamodb-local.ts';
import { METRICS_NAMESPACE, QueueWorker, WORKER_SERVICE } from '../../src/worker/queue-worker.ts';
import { asArray, type Json, references, resource, resourcesOf } from '../helpers/templates.ts';
import { collectingLogger, FakeQueueStore, FakeSlots, staticRules } from '../worker/fakes.ts';

const ECS = 'templates/ecs.yaml';
const container = (resource(ECS, 'WorkerTaskDefinition').props.ContainerDefinitions as Json[])[0] as Json;

describe('ECS task and service', () => {
  it('runs on Fargate arm64 as a non-root user with a read-only root filesystem, unprivileged', () => {
    const task = resource(ECS, 'WorkerTaskDefinition').props;
    assert.deepEqual(task.RequiresCompatibilities, ['FARGATE']);
    assert.equal((task.RuntimePlatform as Json).CpuArchitecture, 'ARM64');
    assert.equal(container.ReadonlyRootFilesystem, true);
    assert.equal(container.Privileged, false);
    assert.match(String(container.User), /^[1-9][0-9]*(:[1-9][0-9]*)?$/);
    const linux = container.LinuxParameters as Json;
    assert.deepEqual((linux.Capabilities as Json).Drop, ['ALL']);
    assert.equal(linux.InitProcessEnabled, true);
  });

  it('checks health through the worker health file, on a writable scratch volume', () => {
    const check = container.HealthCheck as Json;
    assert.deepEqual(check.Command, ['CMD', 'node', '/app/healthcheck.mjs']);
    const env = Object.fromEntries((container.Environment as Json[]).map((e) => [e.Name, e.Value]));
    assert.equal(env.WORKER_HEALTH_FILE, '/tmp/worker-health');
    assert.deepEqual(container.MountPoints, [
      { SourceVolume: 'tmp', ContainerPath: '/tmp', ReadOnly: false },
    ]);
  });

  it('logs to an encrypted log group with retention', () => {
    const options = (container.LogConfiguration as Json).Options as Json;
    const [group] = references(options['awslogs-group']);
    const props = resource(ECS, group!).props;
    assert.deepEqual(references(props.KmsKeyId), ['KmsKeyArn']);
    assert.deepEqual(references(props.RetentionInDays), ['LogRetentionDays']);
  });

  it('gets every variable src/config/env.ts requires of the worker, and no bus: it publishes nothing', () => {
    const names = (container.Environment as Json[]).map((e) => e.Name);
    for (const name of [
      'EVENTS_TABLE',
      'RESERVATIONS_TABLE',
      'PICKUP_SLOTS_TABLE',
      'QUEUE_STATE_TABLE',
      'PREFERENCES_TABLE',
      'APPCONFIG_APPLICATION',
      'APPCONFIG_ENVIRONMENT',
      'APPCONFIG_PROFILE',
    ]) {
      assert.ok(names.includes(name), name);
    }
    // the outbox is the scheduled sweeper's (ADR 0311)
    assert.ok(!names.includes('EVENT_BUS_NAME'));
    assert.doesNotMatch(readFileSync(join(REPO_ROOT, 'worker/main.ts'), 'utf8'), /eventBusName|Publisher/);
  });

  it('deploys with the circuit breaker and rollback, in private subnets without public IPs', () => {
    const service = resource(ECS, 'WorkerService').props;
    assert.deepEqual((service.DeploymentConfiguration as Json).DeploymentCircuitBreaker, {
      Enable: true,
      Rollback: true,
    });
    const vpc = (service.NetworkConfiguration as Json).AwsvpcConfiguration as Json;
    assert.equal(vpc.AssignPublicIp, 'DISABLED');
    assert.equal(service.EnableExecuteCommand, false);
  });

  it('has Container Insights on the cluster and an immutable, scanned ECR repository', () => {
    const settings = resource(ECS, 'Cluster').props.ClusterSettings as Json[];
    assert.deepEqual(settings, [{ Name: 'containerInsights', Value: 'enabled' }]);
    const repo = resource(ECS, 'WorkerRepository').props;
    assert.equal(repo.ImageTagMutability, 'IMMUTABLE');
    assert.deepEqual(repo.ImageScanningConfiguration, { ScanOnPush: true });
  });
});

describe('worker/Dockerfile', () => {
  const dockerfile = readFileSync(join(REPO_ROOT, 'worker/Dockerfile'), 'utf8');
  const lines = dockerfile.split('\n').filter((l) => l.trim() && !l.trim().startsWith('#'));
  const stages = lines.filter((l) => /^FROM /i.test(l));
  const final = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));

  it('is multi-stage with a small, pinned-major base for the runtime', () => {
    assert.ok(stages.length >= 2);
    assert.match(stages.at(-1)!, /node:22-alpine/);
  });

  it('ships only the worker bundle and runs it as a non-root user', () => {
    const copies = final.split('\n').filter((l) => /^COPY /.test(l));
    assert.deepEqual(copies.length, 1);
    assert.match(copies[0]!, /--from=build .*\/dist\/worker\/ /);
    const users = final.split('\n').filter((l) => /^USER /.test(l));
    assert.deepEqual(users, ['USER node']);
    assert.match(final, /ENTRYPOINT \["node", "\/app\/index\.mjs"\]/);
  });

  it('has a health check on the worker health file and stops on SIGTERM', () => {
    assert.match(final, /HEALTHCHECK [^\n]*CMD \["node", "\/app\/healthcheck\.mjs"\]/);
    assert.match(final, /WORKER_HEALTH_FILE=\/tmp\/worker-health/);
    assert.match(final, /STOPSIGNAL SIGTERM/);
  });

  it('keeps the local hub and tests out of the build context', () => {
    const ignore = readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8').split('\n');
    assert.equal(
      ignore.find((l) => l.trim() && !l.startsWith('#')),
      '*',
    );
    assert.ok(ignore.includes('src/local/**'));
  });
});

describe('network', () => {
  const NET = 'templates/network.yaml';

  it('has private subnets in two AZs, no internet or NAT gateway, and flow logs', () => {
    const subnets = resourcesOf('AWS::EC2::Subnet');
    assert.equal(subnets.length, 2);
    for (const s of subnets) assert.equal(s.props.MapPublicIpOnLaunch, false);
    assert.deepEqual(resourcesOf('AWS::EC2::InternetGateway', 'AWS::EC2::NatGateway'), []);
    assert.equal(resource(NET, 'FlowLog').props.TrafficType, 'ALL');
  });

  it('reaches each AWS service the worker calls through a VPC endpoint', () => {
    const services = resourcesOf('AWS::EC2::VPCEndpoint').map(
      (e) => JSON.stringify(e.props.ServiceName).match(/\}\.([a-z0-9.]+)"/)?.[1],
    );
    assert.deepEqual(services.sort(), ['appconfigdata', 'dynamodb', 'ecr.api', 'ecr.dkr', 'logs', 's3']);
  });

  it('admits nothing into the worker, and only the worker into the endpoints', () => {
    assert.equal(resource(NET, 'WorkerSecurityGroup').props.SecurityGroupIngress, undefined);
    const ingress = resource(NET, 'EndpointSecurityGroup').props.SecurityGroupIngress as Json[];
    assert.equal(ingress.length, 1);
    assert.deepEqual(references(ingress[0]!.SourceSecurityGroupId), ['WorkerSecurityGroup']);
    assert.equal(ingress[0]!.FromPort, 443);
  });
});

describe('build projects and buildspecs', () => {
  it('use privileged mode only for the worker image build', () => {
    const privileged = resourcesOf('AWS::CodeBuild::Project')
      .filter((p) => (p.props.Environment as Json).PrivilegedMode === true)
      .map((p) => p.id);
    assert.deepEqual(privileged, ['WorkerBuildProject']);
  });

  it('point at the buildspecs in the repository', () => {
    const specs = resourcesOf('AWS::CodeBuild::Project').map(
      (p) => (p.props.Source as Json).BuildSpec as string,
    );
    assert.deepEqual(specs.sort(), [
      'buildspecs/lambda.yml',
      'buildspecs/smoke.yml',
      'buildspecs/worker.yml',
    ]);
    for (const spec of specs) {
      const parsed = parse(readFileSync(join(REPO_ROOT, spec), 'utf8')) as Json;
      assert.equal(parsed.version, 0.2, spec);
    }
  });

  it('test and typecheck before sam build, and hand CloudFormation the packaged template', () => {
    const spec = parse(readFileSync(join(REPO_ROOT, 'buildspecs/lambda.yml'), 'utf8')) as Json;
    const phases = spec.phases as Record<string, Json>;
    assert.ok(asArray(phases.pre_build?.commands as string[]).includes('npm test'));
    assert.match(JSON.stringify(phases.build?.commands), /sam build[\s\S]*sam package/);
    assert.deepEqual((spec.artifacts as Json).files, ['packaged.yaml', 'template-config.json']);
  });

  it('write imagedefinitions.json for the ECS deploy action', () => {
    const spec = readFileSync(join(REPO_ROOT, 'buildspecs/worker.yml'), 'utf8');
    assert.match(spec, /imagedefinitions\.json/);
    assert.match(spec, /docker build --platform linux\/arm64 -f worker\/Dockerfile/);
  });
});

describe('worker alarm', () => {
  it('watches the very metric the worker emits each cycle, and tells the platform team', () => {
    const alarm = resource('template.yaml', 'WorkerStalledAlarm');
    const props = alarm.props;
    assert.equal(props.Namespace, METRICS_NAMESPACE);
    assert.equal(props.MetricName, 'CyclesCompleted');
    assert.deepEqual(props.Dimensions, [{ Name: 'Service', Value: WORKER_SERVICE }]);
    assert.equal(props.TreatMissingData, 'breaching', 'a worker that emits nothing is a stalled one');
    assert.deepEqual(references(props.AlarmActions), ['PlatformAlarmsTopic']);
    // only once a worker task is meant to run (WorkerDesiredCount above 0)
    assert.equal((alarm.resource as { Condition?: string }).Condition, 'HasWorker');
  });

  it('alarms on a venue failing every cycle, with the metric the worker emits', async () => {
    // the names the worker really emits, read off one cycle's metric line
    const lines: string[] = [];
    const worker = new QueueWorker({
      rules: staticRules({ venues: {}, features: { queue: true, pickup: true, campaigns: true } }),
      queue: new FakeQueueStore(),
      slots: new FakeSlots(),
      clock: { now: () => new Date('2026-12-01T15:00:00.000Z') },
      logger: collectingLogger(),
      metricsSink: (line) => lines.push(line),
    });
    await worker.runOnce();
    const emitted = Object.keys(JSON.parse(lines.at(-1) ?? '{}'));
    for (const [id, metric, statistic] of [['VenueCycleFailingAlarm', 'VenuesFailed', 'Minimum']] as const) {
      const alarm = resource('template.yaml', id);
      const props = alarm.props;
      assert.ok(emitted.includes(metric), `${metric} is emitted`);
      assert.equal(props.Namespace, METRICS_NAMESPACE);
      assert.equal(props.MetricName, metric);
      assert.equal(props.Statistic, statistic);
      assert.deepEqual(props.Dimensions, [{ Name: 'Service', Value: WORKER_SERVICE }]);
      assert.equal(props.TreatMissingData, 'notBreaching', 'no worker, no data: the stall alarm covers it');
      assert.deepEqual(references(props.AlarmActions), ['PlatformAlarmsTopic']);
      assert.equal((alarm.resource as { Condition?: string }).Condition, 'HasWorker');
    }
  });

  it('watches ETA quality through the counts the worker emits each cycle, the share weighing every ticket alike', () => {
    const alarm = resource('template.yaml', 'EtaQualityAlarm');
    const props = alarm.props;
    const metrics = props.Metrics as Json[];
    const read = metrics.filter((m) => m.MetricStat !== undefined);
    assert.deepEqual(
      read.map((m) => {
        const stat = m.MetricStat as Json;
        const metric = stat.Metric as Json;
        return [m.Id, metric.Namespace, metric.MetricName, metric.Dimensions, stat.Stat, m.ReturnData];
      }),
      [
        [
          'checked',
          METRICS_NAMESPACE,
          'EtaChecked',
          [{ Name: 'Service', Value: WORKER_SERVICE }],
          'Sum',
          false,
        ],
        [
          'within',
          METRICS_NAMESPACE,
          'EtaWithin5Min',
          [{ Name: 'Service', Value: WORKER_SERVICE }],
          'Sum',
          false,
        ],
      ],
    );
    const [share] = metrics.filter((m) => m.Expression !== undefined);
    assert.equal(share!.Expression, 'IF(checked >= 20, within / checked, 1)');
    assert.equal(share!.ReturnData, true);
    assert.deepEqual(props.Threshold, { Ref: 'EtaAlarmWithin5MinShare' });
    assert.equal(props.ComparisonOperator, 'LessThanThreshold');
    assert.equal(props.TreatMissingData, 'notBreaching', 'a quiet hour is no bad ETA');
    assert.deepEqual(references(props.AlarmActions), ['PlatformAlarmsTopic']);
    assert.equal((alarm.resource as { Condition?: string }).Condition, 'HasWorker');
  });

  it('lets only this stack’s alarms publish to the platform topic, over TLS', () => {
    const policy = resource('template.yaml', 'PlatformAlarmsTopicPolicy').props.PolicyDocument as Json;
    const allow = asArray(policy.Statement as Json[]).filter((s) => s.Effect === 'Allow');
    assert.equal(allow.length, 1);
    assert.deepEqual(allow[0]!.Principal, { Service: 'cloudwatch.amazonaws.com' });
    assert.ok(JSON.stringify(allow[0]!.Condition).includes(':alarm:${AppName}-${Stage}-*'));
  });
});
