import { randomUUID } from 'node:crypto';
import type { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import multipart from '@fastify/multipart';
import type { AppConfig } from '../config/app-config';
import { MetricsService } from '../observability/metrics.service';

export interface HttpAppOptions {
  /** `seller`, `buyer`, `agency` or `matcher`: names the app in logs, metrics and the OpenAPI title. */
  name: string;
  description: string;
  config: AppConfig;
  /** Generate `/docs` (OpenAPI). The matcher serves only health and metrics. */
  docs?: boolean;
}

/**
 * Creates one of the HTTP apps on Fastify, the same way in production and in tests: JSON API under `/api/v1`,
 * OpenAPI at `/docs`, `/health` and `/metrics` at the root, request metrics, JSON logs, graceful shutdown.
 * The caller decides the port with `app.listen`.
 */
export async function createHttpApp(module: Type<unknown> | object, options: HttpAppOptions): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: options.config.BODY_LIMIT_BYTES,
    trustProxy: true,
    // Keep a caller's X-Request-Id so a request can be traced across services; otherwise make one.
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
  });
  const app = await NestFactory.create<NestFastifyApplication>(module as Type<unknown>, adapter, {
    bufferLogs: true,
    abortOnError: false,
    // Keeps each JSON body's bytes as `request.rawBody`: a Stripe webhook's signature is over the exact bytes sent.
    rawBody: true,
  });
  // Multipart uploads (spreadsheet import): one file, bounded size; a larger file answers 413.
  await app.register(multipart as never, { limits: { fileSize: options.config.IMPORT_MAX_BYTES, files: 1, fields: 10, parts: 11 } });
  app.useLogger(app.get(Logger));
  app.setGlobalPrefix('api/v1', { exclude: ['health', 'metrics'] });
  app.enableShutdownHooks();
  recordRequestMetrics(app, options.name);
  app.getHttpAdapter().getInstance().addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  if (options.docs !== false) setUpDocs(app, options);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

function recordRequestMetrics(app: NestFastifyApplication, name: string): void {
  const metrics = app.get(MetricsService);
  metrics.setApp(name);
  app.getHttpAdapter().getInstance().addHook('onResponse', async (request, reply) => {
    // The route pattern (`/api/v1/listings/:id`), not the URL, so label cardinality stays bounded.
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.observeRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
  });
}

function setUpDocs(app: INestApplication, options: HttpAppOptions): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(`Chanxiao 产销通 — ${options.name} API`)
      .setDescription(options.description)
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/json' });
}
