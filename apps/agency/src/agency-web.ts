import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyAdapter } from '@nestjs/platform-fastify';

/**
 * Where `npm run build` puts the web dashboard (Vite, from apps/agency/web): `dist/agency-web`. Found from the
 * compiled app (dist/apps/agency/src) and from the TypeScript sources (tests) alike.
 */
export function agencyWebRoot(): string | undefined {
  const candidates = [process.env.AGENCY_WEB_ROOT, resolve(__dirname, '../../../agency-web'), resolve(__dirname, '../../../dist/agency-web')];
  return candidates.find((dir): dir is string => !!dir && existsSync(join(dir, 'index.html')));
}

/** Serves the web dashboard's static files at `/` of the agency app (the API stays under `/api/v1`). */
@Injectable()
export class AgencyWebServer implements OnModuleInit {
  private readonly logger = new Logger(AgencyWebServer.name);

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  async onModuleInit(): Promise<void> {
    const adapter = this.adapterHost.httpAdapter as FastifyAdapter | undefined;
    if (!adapter || typeof adapter.useStaticAssets !== 'function') return; // an application context (CLI), no HTTP
    const root = agencyWebRoot();
    if (!root) {
      this.logger.warn('the web dashboard is not built (npm run build): / is not served');
      return;
    }
    // Only the files that exist at start-up get routes, so unknown paths still reach the API's JSON 404.
    await adapter.useStaticAssets({ root, prefix: '/', wildcard: false, index: 'index.html', cacheControl: true, maxAge: '1h' } as never);
  }
}
