/**
 * Auditor: the static site (cfn-nag W70/W10, checkov CKV_AWS_174/34/86/68 and the S3 rules
 * F14/W35/W51, CKV_AWS_18/19/21/53–57; OAC, root object and CSP are ours).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Json, references, resource, resourcesOf } from '../helpers/templates.ts';

const distribution = resource('template.yaml', 'SiteDistribution').props.DistributionConfig as Json;

describe('CloudFront', () => {
  it('reads the bucket through origin access control, never an origin access identity', () => {
    const [origin] = distribution.Origins as Json[];
    assert.deepEqual(references(origin!.OriginAccessControlId), ['SiteOriginAccessControl']);
    assert.equal((origin!.S3OriginConfig as Json).OriginAccessIdentity, '');
    assert.deepEqual(resourcesOf('AWS::CloudFront::CloudFrontOriginAccessIdentity'), []);
    const oac = resource('template.yaml', 'SiteOriginAccessControl').props.OriginAccessControlConfig as Json;
    assert.equal(oac.SigningBehavior, 'always');
  });

  it('requires TLSv1.2_2021 or newer in both certificate branches, and redirects HTTP', () => {
    const certificate = JSON.stringify(distribution.ViewerCertificate);
    const versions = [...certificate.matchAll(/"MinimumProtocolVersion":"([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(versions, ['TLSv1.2_2021', 'TLSv1.2_2021']);
    assert.equal((distribution.DefaultCacheBehavior as Json).ViewerProtocolPolicy, 'redirect-to-https');
  });

  it('serves index.html at the root and for unknown paths (single-page app)', () => {
    assert.equal(distribution.DefaultRootObject, 'index.html');
    const errors = distribution.CustomErrorResponses as Json[];
    assert.deepEqual(
      errors.map((e) => [e.ErrorCode, e.ResponseCode, e.ResponsePagePath]),
      [
        [403, 200, '/index.html'],
        [404, 200, '/index.html'],
      ],
    );
  });

  it('logs requests to the access-log bucket', () => {
    assert.deepEqual(references((distribution.Logging as Json).Bucket), ['AccessLogBucket']);
  });

  it('sends security headers with a strict Content-Security-Policy', () => {
    assert.deepEqual(references((distribution.DefaultCacheBehavior as Json).ResponseHeadersPolicyId), [
      'SiteHeadersPolicy',
    ]);
    const config = (resource('template.yaml', 'SiteHeadersPolicy').props.ResponseHeadersPolicyConfig as Json)
      .SecurityHeadersConfig as Json;
    const csp = JSON.stringify((config.ContentSecurityPolicy as Json).ContentSecurityPolicy);
    for (const directive of [
      "default-src 'none'",
      "script-src 'self'",
      "frame-ancestors 'none'",
      "object-src 'none'",
    ]) {
      assert.ok(csp.includes(directive), directive);
    }
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*;|https:;| data: .*script/);
    assert.equal((config.FrameOptions as Json).FrameOption, 'DENY');
    assert.ok(Number((config.StrictTransportSecurity as Json).AccessControlMaxAgeSec) >= 31536000);
  });
});

describe('S3 buckets', () => {
  const buckets = resourcesOf('AWS::S3::Bucket');

  it('block every kind of public access and keep versions', () => {
    for (const b of buckets) {
      assert.deepEqual(
        b.props.PublicAccessBlockConfiguration,
        {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        b.id,
      );
      assert.deepEqual(b.props.VersioningConfiguration, { Status: 'Enabled' }, b.id);
    }
  });

  it('log access to the access-log bucket (which cannot log to itself)', () => {
    for (const b of buckets.filter((b) => b.id !== 'AccessLogBucket')) {
      const logging = b.props.LoggingConfiguration as Json;
      const target = references(logging?.DestinationBucketName);
      assert.ok(target.includes('AccessLogBucket') || target.includes('AccessLogBucketName'), b.id);
    }
  });

  it('let CloudFront read the site only on behalf of this distribution', () => {
    const policy = resource('template.yaml', 'SiteBucketPolicy').props.PolicyDocument as Json;
    const allows = (policy.Statement as Json[]).filter((s) => s.Effect === 'Allow');
    assert.equal(allows.length, 1);
    assert.deepEqual(allows[0]!.Principal, { Service: 'cloudfront.amazonaws.com' });
    assert.equal(allows[0]!.Action, 's3:GetObject');
    assert.deepEqual(references(allows[0]!.Condition), ['SiteDistribution']);
  });
});
