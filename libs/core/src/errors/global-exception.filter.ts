import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { QueryFailedError } from 'typeorm';
import { DomainError, HTTP_STATUS_BY_KIND, type FieldProblem } from './domain-error';
import { type ErrorBody, reasonPhrase } from './error-body';
import { negotiateLanguage } from '../i18n/accept-language';
import { localizeErrorBody } from '../i18n/localize-error';

interface ReplyLike {
  status(code: number): ReplyLike;
  header(name: string, value: string): ReplyLike;
  send(body: unknown): void;
}

// PostgreSQL error codes that mean the request, not the server, was wrong.
const PG_CONFLICTS: Record<string, string> = {
  '23505': 'a record with the same unique value already exists',
  '23514': 'the change would break a data invariant',
  '23503': 'the change refers to a record that does not exist or is still referenced',
  '40001': 'the change conflicted with a concurrent change; retry it',
  '40P01': 'the change conflicted with a concurrent change; retry it',
};

// PostgreSQL (or its connection pool) is overloaded or going away: the request may succeed if retried shortly.
const PG_UNAVAILABLE_CODES = new Set(['53300', '57P01', '57P02', '57P03', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT']);

function databaseUnavailable(exception: unknown): boolean {
  const error = exception as { message?: unknown; code?: unknown; driverError?: { code?: unknown } } | null;
  if (!error || typeof error !== 'object') return false;
  // pg-pool: every connection busy for longer than connectionTimeoutMillis.
  if (error.message === 'timeout exceeded when trying to connect' || error.message === 'Connection terminated due to connection timeout') return true;
  const code = error.driverError?.code ?? error.code;
  return typeof code === 'string' && PG_UNAVAILABLE_CODES.has(code);
}

/**
 * The single place where errors become HTTP responses `{ statusCode, error, message, details? }`.
 * Unknown errors answer 500 with a correlation id that also appears in the log. Messages are made in English and
 * translated here, once, into the request's `Accept-Language` (zh-CN by default; see `libs/core/src/i18n`).
 */
@Catch()
export class GlobalExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<ReplyLike>();
    const request = http.getRequest<{ id?: string; raw?: { id?: string }; headers?: Record<string, string | string[] | undefined> }>();
    const language = negotiateLanguage(request?.headers?.['accept-language']);
    const body = localizeErrorBody(this.toBody(exception, request?.raw?.id ?? request?.id), language, { code: fastifyCode(exception) });
    if (body.statusCode === 503 && body.code === 'db.unavailable') reply.header('retry-after', '1');
    reply.header('content-language', language);
    reply.status(body.statusCode).send(body);
  }

  /** {@link toBody} in the language an `Accept-Language` header asks for (zh-CN when it is absent). */
  toLocalizedBody(exception: unknown, acceptLanguage?: string, requestId?: string): ErrorBody {
    return localizeErrorBody(this.toBody(exception, requestId), negotiateLanguage(acceptLanguage), { code: fastifyCode(exception) });
  }

  toBody(exception: unknown, requestId?: string): ErrorBody {
    if (exception instanceof DomainError) {
      const statusCode = HTTP_STATUS_BY_KIND[exception.kind];
      return compact({ statusCode, error: reasonPhrase(statusCode), message: exception.message, code: exception.code, details: exception.details });
    }
    if (exception instanceof HttpException) {
      const statusCode = exception.getStatus();
      const response = exception.getResponse();
      const message = typeof response === 'string' ? response : messageOf(response);
      if (statusCode < 500) return { statusCode, error: reasonPhrase(statusCode), message };
      // Terminus answers an unhealthy /health with 503 and its standard body (`status`, `info`, `error`, `details`).
      if (statusCode === 503 && typeof response === 'object') return { statusCode, message: 'a dependency is down', ...response } as ErrorBody;
    }
    const fastifyStatus = clientStatusOf(exception);
    if (fastifyStatus) {
      return { statusCode: fastifyStatus, error: reasonPhrase(fastifyStatus), message: (exception as Error).message };
    }
    if (exception instanceof QueryFailedError) {
      const pgCode = (exception.driverError as { code?: string } | undefined)?.code ?? '';
      if (PG_CONFLICTS[pgCode]) return { statusCode: 409, error: reasonPhrase(409), message: PG_CONFLICTS[pgCode], code: `db.${pgCode}` };
    }
    const correlationId = requestId ?? randomUUID();
    if (databaseUnavailable(exception)) {
      this.logger.warn({ err: exception, correlationId }, 'database unavailable');
      return { statusCode: 503, error: reasonPhrase(503), message: 'the database is busy or unreachable; retry shortly', code: 'db.unavailable', correlationId };
    }
    this.logger.error({ err: exception, correlationId }, 'unhandled error');
    return { statusCode: 500, error: reasonPhrase(500), message: 'internal error', correlationId };
  }
}

function messageOf(response: object): string {
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : 'request failed';
}

// Fastify's own error codes (`FST_ERR_CTP_INVALID_JSON_BODY`), which say what went wrong whatever the wording.
function fastifyCode(exception: unknown): string | undefined {
  const code = (exception as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('FST_') ? code : undefined;
}

// Fastify's own errors (malformed JSON, body too large, wrong content type) carry a 4xx statusCode.
function clientStatusOf(exception: unknown): number | undefined {
  const status = (exception as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

function compact(body: ErrorBody & { details?: FieldProblem[] }): ErrorBody {
  if (!body.details || body.details.length === 0) delete body.details;
  return body;
}
