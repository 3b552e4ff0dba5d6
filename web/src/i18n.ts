/**
 * A small zh-CN / English dictionary. zh-CN is the default; the choice is kept in localStorage.
 * Strings are plain text with `{name}` placeholders.
 */
import { createContext, createElement, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import 'dayjs/locale/en';

export type Lang = 'zh' | 'en';

const zh = {
  appName: '守望 Shouwang',
  appSubtitle: '公共安全指挥平台',
  langZh: '中文',
  langEn: 'English',
  // navigation
  navHome: '首页',
  navIntake: '接警台',
  navDispatch: '调度台',
  navOfficer: '民警端',
  navIncidents: '警情查询',
  navOrg: '组织机构',
  navUsers: '用户与角色',
  navTokens: 'API 令牌',
  navAudit: '审计日志',
  navAdmin: '系统管理',
  // header / user menu
  changePassword: '修改密码',
  signOut: '退出',
  signedOut: '已退出登录',
  // login
  signIn: '登录',
  signInTitle: '登录守望',
  username: '用户名',
  password: '密码',
  usernameRequired: '请输入用户名',
  passwordRequired: '请输入密码',
  demoTitle: '演示模式',
  demoText: '此实例运行在演示模式下，数据为演示城市（澳门）自动生成。以下演示账户的密码均为 {password}，点击账户即可填入。',
  demoPick: '选择演示账户',
  loginFooter: '仅限授权人员使用。所有登录与操作均记录在审计日志中。',
  // password
  currentPassword: '当前密码',
  newPassword: '新密码',
  confirmPassword: '确认新密码',
  passwordMin: '密码至少 8 个字符',
  passwordMismatch: '两次输入的密码不一致',
  passwordChanged: '密码已修改',
  mustChangePassword: '你的密码需要修改，请尽快设置新密码。',
  // home
  homeWelcome: '你好，{name}',
  homeAccount: '我的账户',
  homeUnit: '所属单位',
  homeRoles: '角色',
  homeJurisdiction: '辖区地图',
  homeJurisdictionHint: '辖区内派出所与警格边界，叠加城市道路网。',
  homeModules: '可用功能',
  homeModulesHint: '菜单只显示已上线且你有权使用的功能。',
  homeStations: '派出所',
  homeGrids: '警格',
  homeNoPolygon: '本单位尚未设置边界。',
  version: '版本',
  // generic
  save: '保存',
  cancel: '取消',
  create: '新建',
  edit: '编辑',
  confirm: '确定',
  close: '关闭',
  search: '查询',
  reset: '重置',
  refresh: '刷新',
  actions: '操作',
  all: '全部',
  yes: '是',
  no: '否',
  none: '无',
  loading: '加载中…',
  saved: '已保存',
  created: '已创建',
  optional: '选填',
  total: '共 {n} 条',
  loadFailed: '加载失败：{msg}',
  forbiddenTitle: '无权访问',
  forbiddenText: '你的角色不能使用此页面。',
  notFoundTitle: '页面不存在',
  backHome: '返回首页',
  required: '必填',
  // kinds
  kind_bureau: '市局',
  kind_branch: '分局',
  kind_station: '派出所',
  kind_grid: '警格',
  // org page
  orgTree: '组织机构树',
  orgSearch: '搜索单位名称或代码',
  orgDetails: '单位详情',
  orgSelectHint: '在左侧选择一个单位查看详情。',
  orgName: '名称',
  orgCode: '代码',
  orgKind: '类型',
  orgPath: '路径',
  orgParent: '上级单位',
  orgUserCount: '用户数',
  orgPolygon: '边界',
  orgPolygonSet: '已设置',
  orgPolygonUnset: '未设置',
  orgAddChild: '新建下级单位',
  orgEdit: '编辑单位',
  orgPolygonJson: '边界（GeoJSON Polygon / MultiPolygon）',
  orgPolygonJsonHint: '留空表示不修改。',
  orgPolygonInvalid: '不是有效的 GeoJSON Polygon 或 MultiPolygon',
  orgMapLegend: '彩色区域为派出所辖区，虚线为警格。',
  orgNoChild: '警格下不能再建下级单位',
  // users page
  usersSearch: '搜索用户名或姓名',
  usersRoleFilter: '按角色筛选',
  usersUnitFilter: '按单位筛选',
  usersCreate: '新建用户',
  usersEdit: '编辑用户',
  displayName: '姓名',
  roles: '角色',
  unit: '单位',
  phone: '电话',
  status: '状态',
  lastLogin: '最近登录',
  createdAt: '创建时间',
  initialPassword: '初始密码',
  disabled: '停用',
  statusActive: '正常',
  statusDisabled: '已停用',
  statusLocked: '锁定至 {until}',
  resetPassword: '重置密码',
  resetPasswordFor: '重置 {name} 的密码',
  passwordReset: '密码已重置',
  unlock: '解锁',
  unlocked: '已解锁',
  rolesRequired: '至少选择一个角色',
  unitRequired: '请选择单位',
  neverLoggedIn: '从未登录',
  // tokens page
  tokensCreate: '新建令牌',
  tokenName: '名称',
  tokenPrefix: '前缀',
  tokenScopes: '权限范围',
  tokenCreatedBy: '创建人',
  tokenLastUsed: '最近使用',
  tokenStatusActive: '有效',
  tokenStatusRevoked: '已吊销 {at}',
  tokenRevoke: '吊销',
  tokenRevokeConfirm: '吊销后使用此令牌的系统将立即失去访问权限，确定吊销？',
  tokenRevoked: '令牌已吊销',
  tokenCreatedTitle: '令牌已创建',
  tokenOnceWarning: '令牌只显示这一次。请立即复制并妥善保存；关闭后无法再次查看。',
  tokenCopy: '复制',
  tokenCopied: '已复制',
  tokenScopesRequired: '至少选择一个权限范围',
  tokensHint: 'API 令牌供外部系统（如 12345 热线、报警设备）调用接口，按权限范围和单位限制访问。',
  // audit page
  auditTime: '时间',
  auditRange: '时间范围',
  auditUser: '用户',
  auditRole: '角色',
  auditUnit: '单位',
  auditAction: '操作',
  auditEntity: '对象',
  auditEntityId: '对象编号',
  auditOutcome: '结果',
  auditRequestId: '请求号',
  auditClientIp: '客户端地址',
  auditDetail: '详情',
  auditVerify: '校验哈希链',
  auditVerifyOk: '审计链完整：已校验 {rows} 条记录，未发现篡改。',
  auditVerifyBad: '审计链校验失败：第 {seq} 条记录异常（{reason}）。已校验 {rows} 条。',
  auditVerifyTitle: '审计链校验结果',
  auditHint: '审计日志以哈希链记录每次个人数据的读取和每次写操作，可校验是否被篡改。',
  // map
  mapNoWebGL: '此浏览器无法显示地图（WebGL 不可用）。',
  mapLoadingRoads: '正在加载道路网…',
  mapAttribution: '© OpenStreetMap contributors, ODbL',
  // errors
  networkError: '无法连接服务器',
  sessionExpired: '会话已结束，请重新登录',
};

export type MsgKey = keyof typeof zh;

const en: Record<MsgKey, string> = {
  appName: '守望 Shouwang',
  appSubtitle: 'Public-safety command platform',
  langZh: '中文',
  langEn: 'English',
  navHome: 'Home',
  navIntake: 'Intake console',
  navDispatch: 'Dispatch console',
  navOfficer: 'My duty',
  navIncidents: 'Incidents',
  navOrg: 'Organisation',
  navUsers: 'Users & roles',
  navTokens: 'API tokens',
  navAudit: 'Audit log',
  navAdmin: 'Administration',
  changePassword: 'Change password',
  signOut: 'Sign out',
  signedOut: 'Signed out',
  signIn: 'Sign in',
  signInTitle: 'Sign in to Shouwang',
  username: 'Username',
  password: 'Password',
  usernameRequired: 'Enter your username',
  passwordRequired: 'Enter your password',
  demoTitle: 'Demo mode',
  demoText:
    'This instance runs in demo mode with generated data over the demo city (Macau). Every demo account below uses the password {password}; click one to fill in the form.',
  demoPick: 'Demo accounts',
  loginFooter: 'For authorised personnel only. Every sign-in and action is recorded in the audit log.',
  currentPassword: 'Current password',
  newPassword: 'New password',
  confirmPassword: 'Confirm new password',
  passwordMin: 'At least 8 characters',
  passwordMismatch: 'The passwords do not match',
  passwordChanged: 'Password changed',
  mustChangePassword: 'Your password must be changed; please set a new one now.',
  homeWelcome: 'Hello, {name}',
  homeAccount: 'My account',
  homeUnit: 'Unit',
  homeRoles: 'Roles',
  homeJurisdiction: 'Jurisdiction',
  homeJurisdictionHint: 'Station and grid boundaries in your jurisdiction over the city road network.',
  homeModules: 'Available',
  homeModulesHint: 'The menu shows only what is built and what your roles may use.',
  homeStations: 'Stations',
  homeGrids: 'Grids',
  homeNoPolygon: 'No boundary has been set for this unit.',
  version: 'Version',
  save: 'Save',
  cancel: 'Cancel',
  create: 'Create',
  edit: 'Edit',
  confirm: 'OK',
  close: 'Close',
  search: 'Search',
  reset: 'Reset',
  refresh: 'Refresh',
  actions: 'Actions',
  all: 'All',
  yes: 'Yes',
  no: 'No',
  none: 'None',
  loading: 'Loading…',
  saved: 'Saved',
  created: 'Created',
  optional: 'optional',
  total: '{n} in total',
  loadFailed: 'Could not load: {msg}',
  forbiddenTitle: 'Not allowed',
  forbiddenText: 'Your roles may not use this page.',
  notFoundTitle: 'Page not found',
  backHome: 'Back to home',
  required: 'Required',
  kind_bureau: 'Bureau',
  kind_branch: 'Branch',
  kind_station: 'Station',
  kind_grid: 'Grid',
  orgTree: 'Organisation tree',
  orgSearch: 'Search unit name or code',
  orgDetails: 'Unit details',
  orgSelectHint: 'Select a unit on the left to see its details.',
  orgName: 'Name',
  orgCode: 'Code',
  orgKind: 'Kind',
  orgPath: 'Path',
  orgParent: 'Parent unit',
  orgUserCount: 'Users',
  orgPolygon: 'Boundary',
  orgPolygonSet: 'Set',
  orgPolygonUnset: 'Not set',
  orgAddChild: 'New sub-unit',
  orgEdit: 'Edit unit',
  orgPolygonJson: 'Boundary (GeoJSON Polygon / MultiPolygon)',
  orgPolygonJsonHint: 'Leave empty to keep the current boundary.',
  orgPolygonInvalid: 'Not a valid GeoJSON Polygon or MultiPolygon',
  orgMapLegend: 'Coloured areas are station jurisdictions; dashed lines are grids.',
  orgNoChild: 'A grid cannot have sub-units',
  usersSearch: 'Search username or name',
  usersRoleFilter: 'Filter by role',
  usersUnitFilter: 'Filter by unit',
  usersCreate: 'New user',
  usersEdit: 'Edit user',
  displayName: 'Display name',
  roles: 'Roles',
  unit: 'Unit',
  phone: 'Phone',
  status: 'Status',
  lastLogin: 'Last sign-in',
  createdAt: 'Created',
  initialPassword: 'Initial password',
  disabled: 'Disabled',
  statusActive: 'Active',
  statusDisabled: 'Disabled',
  statusLocked: 'Locked until {until}',
  resetPassword: 'Reset password',
  resetPasswordFor: 'Reset the password of {name}',
  passwordReset: 'Password reset',
  unlock: 'Unlock',
  unlocked: 'Unlocked',
  rolesRequired: 'Choose at least one role',
  unitRequired: 'Choose a unit',
  neverLoggedIn: 'Never',
  tokensCreate: 'New token',
  tokenName: 'Name',
  tokenPrefix: 'Prefix',
  tokenScopes: 'Scopes',
  tokenCreatedBy: 'Created by',
  tokenLastUsed: 'Last used',
  tokenStatusActive: 'Active',
  tokenStatusRevoked: 'Revoked {at}',
  tokenRevoke: 'Revoke',
  tokenRevokeConfirm: 'Systems using this token lose access immediately. Revoke it?',
  tokenRevoked: 'Token revoked',
  tokenCreatedTitle: 'Token created',
  tokenOnceWarning: 'This token is shown only once. Copy it now and store it safely; it cannot be shown again.',
  tokenCopy: 'Copy',
  tokenCopied: 'Copied',
  tokenScopesRequired: 'Choose at least one scope',
  tokensHint: 'API tokens let outside systems (12345 hotline, alarm devices) call the API, limited by scope and unit.',
  auditTime: 'Time',
  auditRange: 'Time range',
  auditUser: 'User',
  auditRole: 'Roles',
  auditUnit: 'Unit',
  auditAction: 'Action',
  auditEntity: 'Entity',
  auditEntityId: 'Entity ID',
  auditOutcome: 'Outcome',
  auditRequestId: 'Request ID',
  auditClientIp: 'Client address',
  auditDetail: 'Detail',
  auditVerify: 'Verify chain',
  auditVerifyOk: 'The audit chain is intact: {rows} rows verified, no tampering found.',
  auditVerifyBad: 'Audit chain verification failed at row {seq} ({reason}). {rows} rows checked.',
  auditVerifyTitle: 'Audit chain verification',
  auditHint: 'The audit log records every read of personal data and every write in a hash chain that can be verified.',
  mapNoWebGL: 'This browser cannot show the map (WebGL is not available).',
  mapLoadingRoads: 'Loading the road network…',
  mapAttribution: '© OpenStreetMap contributors, ODbL',
  networkError: 'Cannot reach the server',
  sessionExpired: 'Your session has ended; please sign in again',
};

const DICTS: Record<Lang, Record<MsgKey, string>> = { zh, en };
const STORAGE_KEY = 'shouwang.lang';

function initialLang(): Lang {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    if (v === 'en' || v === 'zh') return v;
  } catch {
    /* storage unavailable */
  }
  return 'zh';
}

let currentLang: Lang = initialLang();

/** The current UI language, for code outside React (the API client). */
export function getLang(): Lang {
  return currentLang;
}

export function translate(lang: Lang, key: MsgKey, params?: Record<string, string | number>): string {
  const tpl = DICTS[lang][key] ?? DICTS.zh[key] ?? key;
  if (!params) return tpl;
  return tpl.replace(/\{(\w+)\}/g, (_, k: string) => (params[k] !== undefined ? String(params[k]) : ''));
}

function applyDocumentLang(lang: Lang) {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  dayjs.locale(lang === 'zh' ? 'zh-cn' : 'en');
}

export interface I18n {
  lang: Lang;
  setLang(lang: Lang): void;
  t(key: MsgKey, params?: Record<string, string | number>): string;
  /** Pick the label in the current language from a `{zh, en}` pair. */
  pick(label: { zh: string; en: string } | undefined, fallback?: string): string;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(currentLang);
  useEffect(() => applyDocumentLang(lang), [lang]);
  const setLang = useCallback((l: Lang) => {
    currentLang = l;
    try {
      localStorage.setItem(STORAGE_KEY, l);
    } catch {
      /* ignore */
    }
    applyDocumentLang(l);
    setLangState(l);
  }, []);
  const value = useMemo<I18n>(
    () => ({
      lang,
      setLang,
      t: (key, params) => translate(lang, key, params),
      pick: (label, fallback = '') => (label ? label[lang] || label.zh : fallback),
    }),
    [lang, setLang],
  );
  return createElement(I18nContext.Provider, { value }, children);
}

export function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error('useI18n outside I18nProvider');
  return ctx;
}

applyDocumentLang(currentLang);
