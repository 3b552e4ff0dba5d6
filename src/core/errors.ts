/**
 * One error shape for the whole API: {"error": {"code", "message", "field"?}}.
 * Messages come from a catalogue in zh-CN and English, chosen by Accept-Language.
 */
export type Lang = 'zh' | 'en';

type Catalogue = Record<string, { zh: string; en: string }>;

/** Message templates; `{name}` is replaced by the error's params. */
export const MESSAGES: Catalogue = {
  bad_request: { zh: '请求无效', en: 'Bad request' },
  invalid_json: { zh: '请求体不是有效的 JSON：{detail}', en: 'Request body is not valid JSON: {detail}' },
  unsupported_media_type: { zh: '不支持的内容类型 {type}，请使用 application/json', en: 'Unsupported content type {type}; use application/json' },
  payload_too_large: { zh: '请求体过大（上限 {limit} 字节）', en: 'Request body too large (limit {limit} bytes)' },
  required: { zh: '缺少必填字段 {field}', en: 'Missing required field {field}' },
  unknown_field: { zh: '不允许的字段 {field}', en: 'Unknown field {field}' },
  invalid_type: { zh: '字段 {field} 的类型应为 {expected}', en: 'Field {field} must be of type {expected}' },
  too_long: { zh: '字段 {field} 过长（最多 {limit} 个字符）', en: 'Field {field} is too long (at most {limit} characters)' },
  too_short: { zh: '字段 {field} 过短（至少 {limit} 个字符）', en: 'Field {field} is too short (at least {limit} characters)' },
  too_many_items: { zh: '字段 {field} 的条目过多（最多 {limit} 条）', en: 'Field {field} has too many items (at most {limit})' },
  too_few_items: { zh: '字段 {field} 的条目过少（至少 {limit} 条）', en: 'Field {field} has too few items (at least {limit})' },
  out_of_range: { zh: '字段 {field} 超出允许范围（{detail}）', en: 'Field {field} is out of range ({detail})' },
  invalid_value: { zh: '字段 {field} 的值无效（{detail}）', en: 'Field {field} has an invalid value ({detail})' },
  invalid_format: { zh: '字段 {field} 的格式无效（应为 {format}）', en: 'Field {field} has an invalid format (expected {format})' },
  not_found: { zh: '未找到{entity}', en: '{entity} not found' },
  route_not_found: { zh: '接口不存在：{method} {url}', en: 'No such endpoint: {method} {url}' },
  unauthenticated: { zh: '请先登录', en: 'Sign-in required' },
  session_expired: { zh: '会话已超时，请重新登录', en: 'Session expired; please sign in again' },
  forbidden: { zh: '无权执行此操作', en: 'You are not allowed to do this' },
  forbidden_scope: { zh: '令牌缺少权限范围 {scope}', en: 'Token lacks the scope {scope}' },
  csrf_origin: { zh: '跨站请求被拒绝（来源 {origin} 不受信任）', en: 'Cross-site request refused (origin {origin} is not trusted)' },
  conflict: { zh: '与现有数据冲突：{detail}', en: 'Conflicts with existing data: {detail}' },
  duplicate: { zh: '{field} 已存在', en: '{field} already exists' },
  idempotency_in_progress: { zh: '相同 Idempotency-Key 的请求正在处理中', en: 'A request with the same Idempotency-Key is still being processed' },
  idempotency_mismatch: { zh: 'Idempotency-Key 已用于另一个请求', en: 'Idempotency-Key was already used for a different request' },
  illegal_transition: { zh: '警情当前状态为“{from}”，不能变更为“{to}”', en: 'The incident is {from}; it cannot become {to}' },
  reason_required: { zh: '此操作需要填写原因（{field}）', en: 'This needs a reason ({field})' },
  unavailable: { zh: '服务暂不可用：{detail}', en: 'Service unavailable: {detail}' },
  internal: { zh: '服务器内部错误（请求号 {requestId}）', en: 'Internal server error (request {requestId})' },
};

export class AppError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: keyof typeof MESSAGES | string,
    public readonly params: Record<string, string | number> = {},
    public readonly field?: string,
  ) {
    super(`${code} ${JSON.stringify(params)}`);
  }
}

export const badRequest = (code: string, params: Record<string, string | number> = {}, field?: string) =>
  new AppError(400, code, field ? { field, ...params } : params, field);
export const notFound = (entity: string) => new AppError(404, 'not_found', { entity });
export const forbidden = () => new AppError(403, 'forbidden');
export const conflict = (detail: string, field?: string) => new AppError(409, 'conflict', { detail }, field);

export function pickLang(acceptLanguage: string | undefined): Lang {
  if (!acceptLanguage) return 'zh';
  // The first language the client lists wins; zh-CN is the default for anything not English.
  const first = acceptLanguage.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'zh';
}

/**
 * Names of the values that errors put into their messages: what was not found (`{entity}`) and the
 * incident statuses of a refused transition (`{from}`, `{to}`), so neither language shows a code.
 */
export const PARAM_LABELS: Record<'entity' | 'status', Record<string, { zh: string; en: string }>> = {
  entity: {
    incident: { zh: '警情', en: 'Incident' },
    unit: { zh: '警力', en: 'Unit' },
    assignment: { zh: '派警任务', en: 'Assignment' },
    alert: { zh: '告警', en: 'Alert' },
    user: { zh: '用户', en: 'User' },
    api_token: { zh: 'API 令牌', en: 'API token' },
    org_unit: { zh: '组织单位', en: 'Organisation unit' },
    transfer: { zh: '转办记录', en: 'Transfer' },
    hotline_order: { zh: '12345 工单', en: '12345 order' },
    callback: { zh: '回访记录', en: 'Callback' },
    address: { zh: '标准地址', en: 'Address' },
    category: { zh: '警情类别', en: 'Category' },
    case: { zh: '案件', en: 'Case' },
  },
  status: {
    new: { zh: '待派警', en: 'new' },
    dispatched: { zh: '已派警', en: 'dispatched' },
    en_route: { zh: '在途', en: 'en route' },
    on_scene: { zh: '到场', en: 'on scene' },
    cleared: { zh: '处置完毕', en: 'cleared' },
    closed: { zh: '已结警', en: 'closed' },
    transferred: { zh: '已转办', en: 'transferred' },
    merged: { zh: '已合并', en: 'merged' },
    cancelled: { zh: '已撤警', en: 'cancelled' },
  },
};
const PARAM_KIND: Record<string, keyof typeof PARAM_LABELS> = { entity: 'entity', from: 'status', to: 'status' };

function paramText(name: string, value: string | number, lang: Lang): string {
  const kind = PARAM_KIND[name];
  const label = kind ? PARAM_LABELS[kind][String(value)] : undefined;
  return label ? label[lang] : String(value);
}

export function renderMessage(code: string, params: Record<string, string | number>, lang: Lang): string {
  const tpl = MESSAGES[code]?.[lang] ?? MESSAGES.bad_request[lang];
  return tpl.replace(/\{(\w+)\}/g, (_, k: string) => (params[k] !== undefined ? paramText(k, params[k], lang) : ''));
}

export function errorBody(err: AppError, lang: Lang) {
  const body: { code: string; message: string; field?: string } = { code: err.code, message: renderMessage(err.code, err.params, lang) };
  if (err.field) body.field = err.field;
  return { error: body };
}
