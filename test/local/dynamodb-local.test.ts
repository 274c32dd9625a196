import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { loadTemplate, parseTemplate } from '../../src/local/cfn-template.ts';
import { DATA_TEMPLATE, tableDefinitions } from '../../src/local/dynamodb-local.ts';
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
});
