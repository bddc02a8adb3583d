import type { ErrorBody } from '../errors/error-body';
import type { Language } from './accept-language';
import { MessageCatalog } from './message-catalog';
import { ZH_CN } from './messages.zh-CN';

/** The compiled zh-CN catalog (compiled once, at start-up). */
export const ZH_CN_CATALOG = new MessageCatalog(ZH_CN);

// Fastify's and @fastify/multipart's errors by code: their English wording may change between versions.
const FASTIFY_ZH: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: '请求体不是有效的 JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: '内容类型为 application/json 时请求体不能为空',
  FST_ERR_CTP_BODY_TOO_LARGE: '请求体过大',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: '不支持的内容类型（Content-Type）',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: '请求体长度与 Content-Length 不符',
  FST_ERR_BAD_URL: '请求地址无效',
  FST_REQ_FILE_TOO_LARGE: '上传的文件过大',
  FST_FILES_LIMIT: '上传的文件数量超过限制',
  FST_FIELDS_LIMIT: '表单字段数量超过限制',
  FST_PARTS_LIMIT: '表单分段数量超过限制',
  FST_INVALID_MULTIPART_CONTENT_TYPE: '请求不是 multipart/form-data 格式',
  FST_PROTO_VIOLATION: '字段名不允许使用 prototype 属性',
  FST_MP_PREMATURE_CLOSE: '表单数据尚未接收完整，请求就已关闭',
};

/** What went wrong, by HTTP status: the last resort, so a Chinese answer never carries English words. */
const STATUS_ZH: Record<number, string> = {
  400: '请求参数有误',
  401: '未登录或登录已失效',
  403: '无权执行此操作',
  404: '未找到',
  405: '不支持该请求方法',
  406: '无法提供请求的格式',
  409: '操作与当前状态冲突',
  413: '请求内容过大',
  415: '不支持的内容类型',
  422: '请求无法处理',
  429: '请求过于频繁，请稍后再试',
  500: '服务器内部错误',
  502: '依赖的服务出错',
  503: '服务暂时不可用，请稍后重试',
};

/** Domains by the first part of an error code (`listing.invalid` → 货品), for the fallback sentence. */
const DOMAIN_ZH: Record<string, string> = {
  auth: '登录', identity: '账户', organization: '机构', member: '成员', payout_account: '收款账户', region: '地区', category: '品类',
  listing: '货品', photo: '货品照片', import: '表格导入', order: '订单', demand: '采购需求', proposal: '撮合建议', payments: '在线支付',
  pool: '拼单', pledge: '消费扶贫认购', campaign: '专项行动', subsidy: '物流补贴', assistance: '消费扶贫', agency: '主管部门',
  report: '月报', dashboard: '统计', request: '请求', fsm: '状态变更', db: '数据', cli: '命令行',
};

/** Where the error came from, when the body alone does not say: Fastify's `FST_…` code. */
export interface ErrorSource {
  code?: string;
}

/**
 * The error body in `language`. English is the source text and is returned unchanged; for zh-CN, `message` and
 * each `details[].message` are translated by the catalog (a validation message that only joins its details is
 * rebuilt from the translated details), and what the catalog does not cover answers a Chinese sentence for the
 * error's code or status. `statusCode`, `error`, `code` and `details[].field` are never touched.
 */
export function localizeErrorBody(body: ErrorBody, language: Language, source: ErrorSource = {}): ErrorBody {
  if (language === 'en') return body;
  const catalog = ZH_CN_CATALOG;
  const details = Array.isArray(body.details)
    ? body.details.map((d) => ({ ...d, message: typeof d.message === 'string' ? localizeFieldMessage(d.message, language) : '取值无效' }))
    : body.details;
  return { ...body, message: localizedMessage(body, details, source, catalog), ...(details ? { details } : {}) };
}

/**
 * A field problem's message in `language`, for answers that carry problems without being errors (an import's
 * per-row report): what {@link localizeErrorBody} does to `details[].message`.
 */
export function localizeFieldMessage(message: string, language: Language): string {
  if (language === 'en') return message;
  return ZH_CN_CATALOG.translate(message) || '取值无效';
}

function localizedMessage(body: ErrorBody, details: ErrorBody['details'], source: ErrorSource, catalog: MessageCatalog): string {
  const byCode = source.code ? FASTIFY_ZH[source.code] : undefined;
  if (byCode) return byCode;
  if (Array.isArray(body.details) && Array.isArray(details) && details.length && body.message === joinDetails(body.details, '; ')) {
    return joinDetails(details, '；');
  }
  return (typeof body.message === 'string' && catalog.translate(body.message)) || fallbackMessage(body);
}

function joinDetails(details: { field: string; message: string }[], separator: string): string {
  return details.map((d) => `${d.field} ${d.message}`).join(separator);
}

/** `订单：操作与当前状态冲突` for an untranslated `order.*` 409; `请求参数有误` for a 400 with no known code. */
export function fallbackMessage(body: Pick<ErrorBody, 'statusCode' | 'code'>): string {
  const sentence = STATUS_ZH[body.statusCode] ?? (body.statusCode >= 500 ? '服务器错误' : '请求有误');
  const domain = body.code ? DOMAIN_ZH[body.code.split('.')[0]] : undefined;
  return domain ? `${domain}：${sentence}` : sentence;
}
