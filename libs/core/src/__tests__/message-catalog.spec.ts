import { BadRequestException, Logger, NotFoundException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { DomainError } from '../errors/domain-error';
import { GlobalExceptionFilter } from '../errors/global-exception.filter';
import { StateMachine } from '../fsm/state-machine';
import { localizeErrorBody, ZH_CN_CATALOG } from '../i18n/localize-error';
import { MessageCatalog } from '../i18n/message-catalog';

const filter = new GlobalExceptionFilter();
const zh = (exception: unknown) => filter.toLocalizedBody(exception, 'zh-CN,zh;q=0.9,en;q=0.8', 'req-1');

describe('MessageCatalog', () => {
  const catalog = new MessageCatalog({
    messages: {
      'is required': '必填',
      'must be at most {n:num} kg': '最多 {n} 公斤',
      'lot is {status:known}': '货品{status}',
      'pool is {status:pool}': '拼单{status}',
      '{what:term} {id} not found': '{what} {id} 不存在',
      'cannot do it: {reason:msg}': '不能执行：{reason}',
      'problems: {all:list}': '问题：{all}',
      '{field:field} {message:msg}': '{field} {message}',
    },
    terms: { active: '在售', filled: '已满足', 'pool:filled': '已成团', order: '订单' },
    listSeparator: '；',
    termSeparator: '、',
  });

  it('translates exact messages and templates with their values', () => {
    expect(catalog.translate('is required')).toBe('必填');
    expect(catalog.translate('must be at most 12.5 kg')).toBe('最多 12.5 公斤');
    expect(catalog.translate('must be at most twelve kg')).toBeNull();
  });

  it('translates states and words through the terms table, namespaced first', () => {
    expect(catalog.translate('lot is active')).toBe('货品在售');
    expect(catalog.translate('lot is gone')).toBeNull();
    expect(catalog.translate('pool is filled')).toBe('拼单已成团');
    expect(catalog.translate('order 42 not found')).toBe('订单 42 不存在');
  });

  it('translates a message inside a message, and refuses the template when the inner one is unknown', () => {
    expect(catalog.translate('cannot do it: must be at most 3 kg')).toBe('不能执行：最多 3 公斤');
    expect(catalog.translate('cannot do it: the moon is full')).toBeNull();
  });

  it('translates lists of field problems joined by "; ", keeping the field names', () => {
    expect(catalog.translate('problems: quantityKg must be at most 3 kg; title is required')).toBe('问题：quantityKg 最多 3 公斤；title 必填');
    expect(catalog.translate('lines[2].quantityKg must be at most 3 kg; title is required')).toBe('lines[2].quantityKg 最多 3 公斤；title 必填');
  });
});

describe('the zh-CN catalog', () => {
  it('is compiled once and holds the messages of every domain', () => {
    expect(ZH_CN_CATALOG.size).toBeGreaterThan(250);
    expect(ZH_CN_CATALOG.translate('quantityKg must have at most 3 decimals (whole grams)')).toBe('quantityKg 最多三位小数（精确到克）');
    expect(ZH_CN_CATALOG.translate('lines[0]: the price changed to 720 fen/kg while ordering; check it and order again')).toBe(
      'lines[0]：下单期间价格已变为 720 分/公斤，请确认后重新下单',
    );
  });

  it('reads a refused transition with its reasons in Chinese, states included', () => {
    const machine = new StateMachine<'draft' | 'active' | 'sold_out', { problems: string[] }>({
      name: 'listing',
      transitions: { draft: ['active'], active: ['sold_out'], sold_out: [] },
      guards: { 'draft->active': (c) => (c.problems.length ? c.problems.join('; ') : null) },
    });
    const refuse = (from: 'draft' | 'active' | 'sold_out', to: 'draft' | 'active' | 'sold_out', problems: string[] = []) => {
      try {
        machine.assert(from, to, { problems });
      } catch (error) {
        return zh(error);
      }
      throw new Error('allowed');
    };
    expect(refuse('sold_out', 'active')).toEqual({
      statusCode: 409,
      error: 'Conflict',
      code: 'fsm.illegal_transition',
      message: '货品不能从“已售罄”变为“在售”：不能从“已售罄”变为“在售”，“已售罄”是最终状态',
      details: [{ field: 'status', message: '不能从“已售罄”变为“在售”，“已售罄”是最终状态' }],
    });
    const problems = ['bestBefore must be after today (2026-12-04)', 'bestBefore is 400 days after harvest; 苹果 typically keeps 120 days (at most 2027-03-01 is accepted)'];
    expect(refuse('draft', 'active', problems).details).toEqual([
      { field: 'status', message: 'bestBefore 必须晚于今天（2026-12-04）；bestBefore 距采收 400 天；苹果通常只能保存 120 天（最晚接受 2027-03-01）' },
    ]);
  });
});

describe('GlobalExceptionFilter in Chinese', () => {
  it('rebuilds a validation message from its translated details; code and fields stay', () => {
    const error = DomainError.validation('request.invalid', [
      { field: 'quantityKg', message: 'must have at most 3 decimals (whole grams)' },
      { field: 'organization.creditCode', message: 'has a wrong check character (GB 32100-2015)' },
    ]);
    expect(zh(error)).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      code: 'request.invalid',
      message: 'quantityKg 最多三位小数（精确到克）；organization.creditCode 校验码错误（GB 32100-2015）',
      details: [
        { field: 'quantityKg', message: '最多三位小数（精确到克）' },
        { field: 'organization.creditCode', message: '校验码错误（GB 32100-2015）' },
      ],
    });
  });

  it('answers in English, unchanged, when asked for en', () => {
    const error = DomainError.validation('x', [{ field: 'quantityKg', message: 'must be a number of kg' }]);
    expect(filter.toLocalizedBody(error, 'en-US,en;q=0.9')).toEqual(filter.toBody(error));
    expect(filter.toLocalizedBody(error, 'fr').message).toBe('quantityKg 必须是以公斤为单位的数字');
    expect(filter.toLocalizedBody(error).message).toBe('quantityKg 必须是以公斤为单位的数字');
  });

  it('falls back to a Chinese sentence for the domain or the status when a message has no line', () => {
    expect(zh(new DomainError('conflict', 'order.something_new', 'a message nobody translated'))).toMatchObject({ statusCode: 409, code: 'order.something_new', message: '订单：操作与当前状态冲突' });
    expect(zh(new DomainError('not_found', 'zzz.gone', 'the thing is gone')).message).toBe('未找到');
    const detail = zh(DomainError.validation('listing.invalid', [{ field: 'title', message: 'sounds odd' }]));
    expect(detail).toMatchObject({ message: 'title 取值无效', details: [{ field: 'title', message: '取值无效' }] });
  });

  it('translates the auth guard, database, 503 and 500 answers', () => {
    expect(zh(new DomainError('unauthorized', 'auth.missing_token', 'an access token is required (Authorization: Bearer <token>)')).message).toBe('需要访问令牌（请求头 Authorization: Bearer <token>）');
    expect(zh(new DomainError('unauthorized', 'auth.wrong_app', 'this token was issued for the buyer app, not the seller app')).message).toBe('该令牌属于买方应用，不能用于卖方应用');
    const unique = new QueryFailedError('INSERT', [], Object.assign(new Error('dup'), { code: '23505' }));
    expect(zh(unique)).toEqual({ statusCode: 409, error: 'Conflict', code: 'db.23505', message: '已存在相同的记录（唯一值重复）' });
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const log = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    expect(zh(new Error('timeout exceeded when trying to connect'))).toMatchObject({ statusCode: 503, code: 'db.unavailable', message: '数据库繁忙或无法连接，请稍后重试', correlationId: 'req-1' });
    expect(zh(new TypeError('x is undefined'))).toEqual({ statusCode: 500, error: 'Internal Server Error', message: '服务器内部错误', correlationId: 'req-1' });
    warn.mockRestore();
    log.mockRestore();
  });

  it("translates Fastify's and Nest's own errors: bad JSON, too large, media type, unknown route", () => {
    const fastify = (code: string, statusCode: number, message: string) => Object.assign(new Error(message), { code, statusCode });
    expect(zh(fastify('FST_ERR_CTP_INVALID_JSON_BODY', 400, "Body is not valid JSON but content-type is set to 'application/json'"))).toEqual({
      statusCode: 400, error: 'Bad Request', message: '请求体不是有效的 JSON',
    });
    expect(zh(fastify('FST_ERR_CTP_BODY_TOO_LARGE', 413, 'Request body is too large')).message).toBe('请求体过大');
    expect(zh(fastify('FST_ERR_CTP_INVALID_MEDIA_TYPE', 415, 'Unsupported Media Type')).message).toBe('不支持的内容类型（Content-Type）');
    expect(zh(fastify('FST_SOMETHING_NEW', 400, 'Something new happened')).message).toBe('请求参数有误');
    expect(zh(new NotFoundException('Cannot GET /api/v1/nope'))).toEqual({ statusCode: 404, error: 'Not Found', message: '未找到接口 GET /api/v1/nope' });
    expect(zh(new BadRequestException()).message).toBe('请求参数有误');
  });

  it('leaves a body without details alone apart from its message', () => {
    const body = { statusCode: 429, error: 'Too Many Requests', message: 'too many failed logins; try again in 30 seconds', code: 'auth.throttled' };
    expect(localizeErrorBody(body, 'zh-CN')).toEqual({ ...body, message: '登录失败次数过多，请 30 秒后再试' });
    expect(localizeErrorBody(body, 'en')).toBe(body);
  });
});
