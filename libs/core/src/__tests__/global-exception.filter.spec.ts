import { BadRequestException, Logger, NotFoundException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { DomainError } from '../errors/domain-error';
import { GlobalExceptionFilter } from '../errors/global-exception.filter';

const filter = new GlobalExceptionFilter();

describe('GlobalExceptionFilter', () => {
  it('maps a DomainError by kind and keeps its details', () => {
    const error = DomainError.validation('x', [{ field: 'organization.creditCode', message: 'is wrong' }]);
    expect(filter.toBody(error)).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'organization.creditCode is wrong',
      code: 'x',
      details: [{ field: 'organization.creditCode', message: 'is wrong' }],
    });
    expect(filter.toBody(new DomainError('conflict', 'fsm.illegal_transition', 'no')).statusCode).toBe(409);
    expect(filter.toBody(new DomainError('unprocessable', 'idempotency.mismatch', 'no')).statusCode).toBe(422);
  });

  it("passes Nest's own 4xx exceptions through", () => {
    expect(filter.toBody(new NotFoundException('Cannot GET /x'))).toEqual({ statusCode: 404, error: 'Not Found', message: 'Cannot GET /x' });
    expect(filter.toBody(new BadRequestException()).statusCode).toBe(400);
  });

  it("keeps Fastify's client errors (bad JSON, body too large) as 4xx", () => {
    const tooLarge = Object.assign(new Error('Request body is too large'), { statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE' });
    expect(filter.toBody(tooLarge)).toEqual({ statusCode: 413, error: 'Payload Too Large', message: 'Request body is too large' });
  });

  it('answers 409 for a unique or check violation from PostgreSQL', () => {
    const unique = new QueryFailedError('INSERT', [], Object.assign(new Error('dup'), { code: '23505' }));
    const check = new QueryFailedError('UPDATE', [], Object.assign(new Error('chk'), { code: '23514' }));
    expect(filter.toBody(unique)).toMatchObject({ statusCode: 409, code: 'db.23505' });
    expect(filter.toBody(check)).toMatchObject({ statusCode: 409, code: 'db.23514' });
  });

  it('answers 503 db.unavailable when PostgreSQL or its pool cannot take the request, and logs a warning', () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const poolTimeout = new Error('timeout exceeded when trying to connect');
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const tooMany = new QueryFailedError('SELECT', [], Object.assign(new Error('too many'), { code: '53300' }));
    for (const error of [poolTimeout, refused, tooMany]) {
      expect(filter.toBody(error, 'req-7')).toEqual({ statusCode: 503, error: 'Service Unavailable', message: 'the database is busy or unreachable; retry shortly', code: 'db.unavailable', correlationId: 'req-7' });
    }
    expect(warn).toHaveBeenCalledTimes(3);
    warn.mockRestore();
  });

  it('hides an unknown error behind a 500 with a correlation id, and logs it with that id', () => {
    const log = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const error = new TypeError('cannot read x of undefined');
    const body = filter.toBody(error, 'req-42');
    expect(log).toHaveBeenCalledWith({ err: error, correlationId: 'req-42' }, 'unhandled error');
    log.mockRestore();
    expect(body).toEqual({ statusCode: 500, error: 'Internal Server Error', message: 'internal error', correlationId: 'req-42' });
  });
});
