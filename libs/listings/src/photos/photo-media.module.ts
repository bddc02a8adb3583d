import { Injectable, Logger, Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { localizeErrorBody, negotiateLanguage } from '@chanxiao/core';
import { ListingsModule } from '../listings.module';
import { PhotoStorage } from './photo-storage';

/** Where the apps serve photo images: outside `/api/v1`, without login (an `<img>` sends no bearer token). */
export const PHOTO_MEDIA_PATH = '/media/photos';

// A key names images that never change (see photoKeys), so a browser or CDN may keep them for a year unasked.
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * Serves `GET /media/photos/:key` from the {@link PhotoStorage}: the image with its media type and a year-long
 * immutable cache header, or a JSON 404 for anything that is not a stored photo key. A plain Fastify route, as
 * the web app's static files are: Nest's global prefix would put a controller under `/api/v1`.
 */
@Injectable()
export class PhotoMediaServer implements OnModuleInit {
  private readonly logger = new Logger(PhotoMediaServer.name);

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly storage: PhotoStorage,
  ) {}

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (!adapter) return; // an application context (CLI), no HTTP
    const fastify = adapter.getInstance<FastifyInstance>();
    fastify.get<{ Params: { key: string } }>(`${PHOTO_MEDIA_PATH}/:key`, (request, reply) => this.serve(request, reply));
  }

  private async serve(request: FastifyRequest<{ Params: { key: string } }>, reply: FastifyReply): Promise<FastifyReply> {
    const { key } = request.params;
    let photo;
    try {
      photo = await this.storage.get(key);
    } catch (error) {
      this.logger.error({ err: error, key, correlationId: request.id }, 'could not read a photo image');
      return reply.status(500).send({ ...inLanguageOf(request, { statusCode: 500, error: 'Internal Server Error', message: 'internal error' }), correlationId: request.id });
    }
    if (!photo) {
      return reply.status(404).send(inLanguageOf(request, { statusCode: 404, error: 'Not Found', message: `photo ${key} not found`, code: 'photo.not_found' }));
    }
    const etag = `"${key}"`;
    reply.header('cache-control', IMMUTABLE).header('etag', etag).header('x-content-type-options', 'nosniff');
    if (request.headers['if-none-match'] === etag) return reply.status(304).send();
    return reply.header('content-type', photo.contentType).send(photo.bytes);
  }
}

// Answered here, not by the global filter (a plain route): the same body in the request's language.
function inLanguageOf(request: FastifyRequest, body: Parameters<typeof localizeErrorBody>[0]) {
  return localizeErrorBody(body, negotiateLanguage(request.headers['accept-language']));
}

/** Serves the photo images; the seller and buyer apps import it (buyers see the photos sellers upload). */
@Module({ imports: [ListingsModule], providers: [PhotoMediaServer] })
export class PhotoMediaModule {}
