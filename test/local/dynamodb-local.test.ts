import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { loadTemplate, parseTemplate } from '../../src/local/cfn-template.ts';
import {
  createTables,
  DATA_TEMPLATE,
  LOCAL_AWS,
  startDynamoDbLocal,
  tableDefinitions,
} from '../../src/local/dynamodb-local.ts';
import { type TestTables, useTables } from '../helpers/dynamodb.ts';

describe('cfn-template', () => {
  it('parses short-form intrinsics into their long form', () => {
    const t = parseTemplate(
      [
        'Resources:',
        '  A:',
        '    Type: X',
        '    Properties:',
        '      Name: !Sub "${AppName}-x"',
        '      Arn: !GetAtt Table.Arn',
        '      Ref: !Ref Key',
        '      Pick: !If [Cond, !Ref A, !Ref AWS::NoValue]',
        '      Joined: !Join',
        '        - ","',
        '        - [a, b]',
      ].join('\n'),
    );
    assert.deepEqual(t.Resources.A?.Properties, {
      Name: { 'Fn::Sub': '${AppName}-x' },
      Arn: { 'Fn::GetAtt': ['Table', 'Arn'] },
      Ref: { Ref: 'Key' },
      Pick: { 'Fn::If': ['Cond', { Ref: 'A' }, { Ref: 'AWS::NoValue' }] },
      Joined: { 'Fn::Join': [',', ['a', 'b']] },
    });
  });

  it('rejects a file that is not a template', () => {
    assert.throws(() => parseTemplate('a: 1'), /no Resources/);
  });
});

describe('tables from templates/data.yaml', () => {
  let db: TestTables;
  before(async () => {
    db = await useTables();
  });

  it('defines the five tables of the mission', () => {
    const ids = tableDefinitions({ AppName: 'a', Stage: 'dev' }).map((t) => t.logicalId);
    assert.deepEqual(ids.sort(), [
      'EventsTable',
      'PickupSlotsTable',
      'PreferencesTable',
      'QueueStateTable',
      'ReservationsTable',
    ]);
  });

  it('creates every table with the keys and GSIs the template declares', async () => {
    const template = loadTemplate(DATA_TEMPLATE);
    const declared = template.Resources.ReservationsTable?.Properties?.GlobalSecondaryIndexes as Array<{
      IndexName: string;
    }>;
    const described = await db.client.send(new DescribeTableCommand({ TableName: db.tables.reservations }));
    assert.deepEqual(
      described.Table?.GlobalSecondaryIndexes?.map((g) => g.IndexName).sort(),
      declared.map((g) => g.IndexName).sort(),
    );
    assert.deepEqual(described.Table?.KeySchema, [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
  });

  it('gives a table kept from an older template the indexes added since', async () => {
    // Its own DynamoDB Local, as the hub has: one set of tables. In the suite's shared one,
    // with hundreds of test tables, DynamoDB Local takes minutes to build a new index.
    const own = await startDynamoDbLocal();
    const client = new DynamoDBClient({ ...LOCAL_AWS, endpoint: own.endpoint });
    try {
      const parameters = { AppName: 'test', Stage: 'kept' };
      const queue = tableDefinitions(parameters).find((t) => t.logicalId === 'QueueStateTable')!.input;
      // the queue table as it was before the lane plan index
      await client.send(
        new CreateTableCommand({
          ...queue,
          AttributeDefinitions: queue.AttributeDefinitions?.filter(
            (a) => !a.AttributeName?.startsWith('gsi3'),
          ),
          GlobalSecondaryIndexes: queue.GlobalSecondaryIndexes?.filter((g) => g.IndexName !== 'byLanePlan'),
        }),
      );
      const tables = await createTables(own.endpoint, parameters);
      const described = await client.send(new DescribeTableCommand({ TableName: tables.queueState }));
      const indexes = described.Table?.GlobalSecondaryIndexes ?? [];
      assert.deepEqual(indexes.map((g) => g.IndexName).sort(), ['byLanePlan', 'byUser', 'byVenueStatus']);
      assert.equal(indexes.find((g) => g.IndexName === 'byLanePlan')?.IndexStatus, 'ACTIVE');
      // and a second start finds nothing to add
      await createTables(own.endpoint, parameters);
    } finally {
      client.destroy();
      await own.stop();
    }
  });
});
