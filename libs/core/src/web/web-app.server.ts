import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type Provider } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyAdapter } from '@nestjs/platform-fastify';

/** The apps that serve a web app of their own at `/`. */
export type WebAppName = 'seller' | 'buyer' | 'agency';

const WEB_APP = Symbol('WEB_APP');

/**
 * Where `npm run build` puts an app's web front end (Vite, from apps/<name>/web): `dist/<name>-web`. Found from
 * the compiled code (dist/libs/core/src/web) and from the TypeScript sources (tests) alike; `<NAME>_WEB_ROOT`
 * overrides it.
 */
export function webAppRoot(name: WebAppName): string | undefined {
  const candidates = [
    process.env[`${name.toUpperCase()}_WEB_ROOT`],
    resolve(__dirname, '../../../..', `${name}-web`),
    resolve(__dirname, '../../../../dist', `${name}-web`),
  ];
  return candidates.find((dir): dir is string => !!dir && existsSync(join(dir, 'index.html')));
}

/** Serves a web app's static files at `/` (the API stays under `/api/v1`). */
@Injectable()
export class WebAppServer implements OnApplicationBootstrap {
  private readonly logger = new Logger(WebAppServer.name);

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(WEB_APP) private readonly name: WebAppName,
  ) {}

  // At bootstrap, not module init: awaiting the plugin loads Fastify's queue, and the API routes then take the error
  // handler in place at that moment, which must already be Nest's (so bad JSON, 413 and 415 reach the filter).
  async onApplicationBootstrap(): Promise<void> {
    const adapter = this.adapterHost.httpAdapter as FastifyAdapter | undefined;
    if (!adapter || typeof adapter.useStaticAssets !== 'function') return; // an application context (CLI), no HTTP
    const root = webAppRoot(this.name);
    if (!root) {
      this.logger.warn(`the ${this.name} web app is not built (npm run build): / is not served`);
      return;
    }
    // Only the files that exist at start-up get routes, so unknown paths still reach the API's JSON 404.
    // Vite names assets by content hash, so they may be cached for long; index.html must be revalidated.
    await adapter.useStaticAssets({
      root,
      prefix: '/',
      wildcard: false,
      index: 'index.html',
      cacheControl: true,
      maxAge: '1h',
      setHeaders: (reply: { header(name: string, value: string): void }, path: string) => {
        if (/[/\\]assets[/\\]/.test(path)) reply.header('cache-control', 'public, max-age=31536000, immutable');
        else if (path.endsWith('.html')) reply.header('cache-control', 'no-cache');
      },
    } as never);
  }
}

/** The providers that make an HTTP app serve `dist/<name>-web` at `/`. */
export function webAppProviders(name: WebAppName): Provider[] {
  return [{ provide: WEB_APP, useValue: name }, WebAppServer];
}
