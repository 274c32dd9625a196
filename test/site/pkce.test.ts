import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { authorizeUrl, codeChallenge, exchangeCode, logoutUrl, randomToken } from '../../site/src/pkce.ts';

class MemoryStorage implements Storage {
  private map = new Map<string, string>();
  get length() {
    return this.map.size;
  }
  clear() {
    this.map.clear();
  }
  getItem(key: string) {
    return this.map.get(key) ?? null;
  }
  key(index: number) {
    return [...this.map.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.map.delete(key);
  }
  setItem(key: string, value: string) {
    this.map.set(key, value);
  }
}

const settings = {
  domain: 'venue.auth.us-east-1.amazoncognito.com',
  clientId: 'client123',
  redirectUri: 'https://venue.example/',
};

describe('Cognito PKCE sign-in', () => {
  it('computes the S256 challenge as BASE64URL(SHA-256(verifier)) without padding', async () => {
    for (const verifier of [
      'dBjftJeZ4CVP-mJ92K9qC9oFAvjyRz4MXZHe8cZn7hI',
      randomToken(48),
      randomToken(32),
    ]) {
      const expected = createHash('sha256').update(verifier).digest('base64url');
      assert.equal(await codeChallenge(verifier), expected);
      assert.match(await codeChallenge(verifier), /^[A-Za-z0-9_-]{43}$/);
    }
  });

  it('builds the authorize URL with S256, state and the remembered verifier', async () => {
    const storage = new MemoryStorage();
    const url = new URL(await authorizeUrl(settings, storage));
    assert.equal(url.origin, `https://${settings.domain}`);
    assert.equal(url.pathname, '/oauth2/authorize');
    assert.equal(url.searchParams.get('response_type'), 'code');
    assert.equal(url.searchParams.get('client_id'), 'client123');
    assert.equal(url.searchParams.get('redirect_uri'), 'https://venue.example/');
    assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
    const pending = JSON.parse(storage.getItem('venue-hub.pkce') ?? '{}');
    assert.equal(url.searchParams.get('state'), pending.state);
    assert.ok(pending.verifier.length >= 43);
    assert.equal(url.searchParams.get('code_challenge'), await codeChallenge(pending.verifier));
  });

  it('exchanges the code with the verifier at the token endpoint, once', async () => {
    const storage = new MemoryStorage();
    const url = new URL(await authorizeUrl(settings, storage));
    const { verifier } = JSON.parse(storage.getItem('venue-hub.pkce') ?? '{}');
    const calls: { url: string; body: URLSearchParams }[] = [];
    const fakeFetch = (async (input: string, init: RequestInit) => {
      calls.push({ url: input, body: new URLSearchParams(String(init.body)) });
      return new Response(JSON.stringify({ access_token: 'a.b.c', id_token: 'x', expires_in: 3600 }));
    }) as unknown as typeof fetch;
    const params = new URLSearchParams({ code: 'the-code', state: url.searchParams.get('state') ?? '' });
    assert.equal(await exchangeCode(settings, params, storage, fakeFetch), 'a.b.c');
    assert.equal(calls.length, 1);
    assert.equal(calls[0]?.url, `https://${settings.domain}/oauth2/token`);
    assert.equal(calls[0]?.body.get('grant_type'), 'authorization_code');
    assert.equal(calls[0]?.body.get('code'), 'the-code');
    assert.equal(calls[0]?.body.get('code_verifier'), verifier);
    assert.equal(calls[0]?.body.get('client_id'), 'client123');
    assert.equal(storage.getItem('venue-hub.pkce'), null);
    await assert.rejects(exchangeCode(settings, params, storage, fakeFetch), /state/);
  });

  it('refuses a callback whose state does not match', async () => {
    const storage = new MemoryStorage();
    await authorizeUrl(settings, storage);
    const fakeFetch = (async () => {
      throw new Error('must not be called');
    }) as unknown as typeof fetch;
    const params = new URLSearchParams({ code: 'c', state: 'forged' });
    await assert.rejects(exchangeCode(settings, params, storage, fakeFetch), /state/);
  });

  it('refuses a token response without an access token', async () => {
    const storage = new MemoryStorage();
    const url = new URL(await authorizeUrl(settings, storage));
    const fakeFetch = (async () => new Response('{"id_token":"x"}')) as unknown as typeof fetch;
    const params = new URLSearchParams({ code: 'c', state: url.searchParams.get('state') ?? '' });
    await assert.rejects(exchangeCode(settings, params, storage, fakeFetch), /access token/);
  });

  it('logs out through the hosted UI back to the site', () => {
    const url = new URL(logoutUrl(settings));
    assert.equal(url.pathname, '/logout');
    assert.equal(url.searchParams.get('logout_uri'), 'https://venue.example/');
  });
});
