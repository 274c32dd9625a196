/**
 * Auditor: the pipelines can deploy what they are meant to deploy (ours: no scanner checks
 * that a role holds what CloudFormation, API Gateway or CodeDeploy will ask of it), and no more.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allStatements, asArray, flatActions, ROOT, type Statement } from '../helpers/templates.ts';

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
