/**
 * Serves the static site from a directory (the output of `buildSite()`), with the SPA
 * fallback: a GET that accepts HTML and names no file gets index.html.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { OutgoingResponse } from './api-gateway-event.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

export class StaticSite {
  private readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  /** The file for a path, index.html for HTML navigations, or undefined (→ 404). */
  resolve(urlPath: string, accept: string): OutgoingResponse | undefined {
    let decoded: string;
    try {
      decoded = decodeURIComponent(urlPath);
    } catch {
      return undefined;
    }
    const candidate = resolve(join(this.root, normalize(decoded)));
    // Never serve outside the site directory (../ tricks).
    if (candidate !== this.root && !candidate.startsWith(this.root + sep)) return undefined;
    const file = this.fileAt(candidate) ?? this.fileAt(join(candidate, 'index.html'));
    if (file) return this.serve(file);
    if (accept.includes('text/html')) {
      const index = this.fileAt(join(this.root, 'index.html'));
      if (index) return this.serve(index);
    }
    return undefined;
  }

  private fileAt(path: string): string | undefined {
    return existsSync(path) && statSync(path).isFile() ? path : undefined;
  }

  private serve(path: string): OutgoingResponse {
    const type = TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
    return {
      status: 200,
      headers: {
        'content-type': type,
        'cache-control': 'no-cache',
        'x-content-type-options': 'nosniff',
      },
      body: readFileSync(path),
    };
  }
}
