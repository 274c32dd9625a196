/**
 * A JWKS endpoint on 127.0.0.1 that counts its requests: the key server the venue-api's
 * verifier fetches from in the security suites, standing in for Cognito's
 * `/.well-known/jwks.json`, so that refetch storms can be measured where they would land.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JSONWebKeySet } from 'jose';

export interface JwksServer {
  /** the JWKS URL */
  url: string;
  /** the issuer whose keys these are (the server's base URL) */
  issuer: string;
  /** requests served so far */
  requests(): number;
  close(): Promise<void>;
}

/**
 * Serves `keys()` at `/.well-known/jwks.json` until `close()`. (Register the close in a
 * top-level `after`: an `after` called inside a `before` hook runs as soon as that hook ends.)
 */
export async function startJwksServer(keys: () => JSONWebKeySet): Promise<JwksServer> {
  let count = 0;
  const server: Server = createServer((req, res) => {
    count += 1;
    if (req.url !== '/.well-known/jwks.json') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(keys()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return { url: `${base}/.well-known/jwks.json`, issuer: base, requests: () => count, close };
}
