import { Injectable, Logger, Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { toBuffer } from 'qrcode';
import { AppConfig } from '@chanxiao/core';
import { CategoriesModule } from '@chanxiao/categories';
import { RegionsModule } from '@chanxiao/regions';
import { ListingsModule } from '../listings.module';
import { PublicPageThrottle } from './public-page-throttle.service';
import { countyPage, errorPage, lotPage, notFoundPage, type PageUrls, tooManyRequestsPage } from './public-pages.html';
import { PublicLotsService } from './public-lots.service';

/** The public pages' paths, outside `/api/v1` and without login. */
export const PUBLIC_PAGE_PATHS = { lot: '/l/:listingId', qr: '/l/:listingId/qr.png', county: '/c/:countyCode' } as const;

// Shared caches and WeChat's link preview may keep a page for a minute: a sale shows within a minute.
const CACHEABLE = 'public, max-age=60';
const HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;
// No script at all; images from this site or a photo CDN; inline style only.
const CSP = "default-src 'none'; img-src 'self' https: http: data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

type Request = FastifyRequest<{ Params: Record<string, string> }>;

/**
 * Serves the public pages a county office shares on WeChat (SPEC §8): `GET /l/:listingId` (an HTML page of a lot on
 * the market), `GET /l/:listingId/qr.png` (a QR code of that page's URL, for posters) and `GET /c/:countyCode` (the
 * county's stalled lots, most urgent first). Plain Fastify routes, as the photo images are, so they sit outside the
 * API's `/api/v1` prefix, its bearer-token guard and its JSON errors: anything not shown answers one Chinese 404
 * page, the same for a draft as for an id that never existed. Each client IP is rate-limited across processes.
 */
@Injectable()
export class PublicPagesServer implements OnModuleInit {
  private readonly logger = new Logger(PublicPagesServer.name);

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly lots: PublicLotsService,
    private readonly throttle: PublicPageThrottle,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (!adapter) return; // an application context (CLI), no HTTP
    const fastify = adapter.getInstance<FastifyInstance>();
    fastify.get(PUBLIC_PAGE_PATHS.lot, (request: Request, reply) => this.serve(request, reply, async (urls) => {
      const lot = await this.lots.lot(request.params.listingId);
      return lot && { type: 'text/html; charset=utf-8', body: lotPage(lot, urls) };
    }));
    fastify.get(PUBLIC_PAGE_PATHS.qr, (request: Request, reply) => this.serve(request, reply, async (urls) => {
      const lot = await this.lots.lot(request.params.listingId);
      return lot && { type: 'image/png', body: await toBuffer(urls.lot(lot.id), { type: 'png', errorCorrectionLevel: 'M', margin: 2, width: 512 }) };
    }));
    fastify.get(PUBLIC_PAGE_PATHS.county, (request: Request, reply) => this.serve(request, reply, async (urls) => {
      const board = await this.lots.countyBoard(request.params.countyCode);
      return board && { type: 'text/html; charset=utf-8', body: countyPage(board.county, board.lots, urls) };
    }));
  }

  private async serve(request: Request, reply: FastifyReply, render: (urls: PageUrls) => Promise<{ type: string; body: string | Buffer } | null>): Promise<FastifyReply> {
    reply.header('x-content-type-options', 'nosniff').header('content-security-policy', CSP).header('referrer-policy', 'strict-origin-when-cross-origin');
    const verdict = await this.throttle.check(request.ip);
    if (!verdict.allowed) {
      return this.page(reply.header('retry-after', String(verdict.retryAfterSeconds)), 429, tooManyRequestsPage(verdict.retryAfterSeconds));
    }
    try {
      const found = await render(this.urls(request));
      if (!found) return this.page(reply, 404, notFoundPage());
      return reply.status(200).header('cache-control', CACHEABLE).header('content-type', found.type).send(found.body);
    } catch (error) {
      this.logger.error({ err: error, url: request.url, correlationId: request.id }, 'could not render a public page');
      return this.page(reply, 500, errorPage());
    }
  }

  private page(reply: FastifyReply, status: number, body: string): FastifyReply {
    return reply.status(status).header('cache-control', 'no-store').header('content-type', 'text/html; charset=utf-8').send(body);
  }

  /** The pages' absolute URLs: from PUBLIC_BASE_URL, else from the request's protocol and host. */
  private urls(request: Request): PageUrls {
    const configured = this.config.PUBLIC_BASE_URL.replace(/\/+$/, '');
    const origin = configured || `${request.protocol === 'https' ? 'https' : 'http'}://${HOST.test(request.host) ? request.host : 'localhost'}`;
    return {
      origin,
      lot: (id) => `${origin}/l/${id}`,
      qr: (id) => `${origin}/l/${id}/qr.png`,
      buy: (id) => `${origin}/#/lots/${id}`,
      county: (code) => `${origin}/c/${code}`,
      absolute: (url) => (/^https?:\/\//i.test(url) ? url : `${origin}${url.startsWith('/') ? '' : '/'}${url}`),
    };
  }
}

/** The public pages; the buyer app imports it. */
@Module({ imports: [ListingsModule, RegionsModule, CategoriesModule], providers: [PublicLotsService, PublicPageThrottle, PublicPagesServer] })
export class PublicPagesModule {}
