/**
 * The portal's own i18next instance (zh-CN first, English): a small dictionary, no staff namespaces,
 * so the portal's first load stays light. The choice is kept as the staff app keeps it (shouwang.lang).
 */
import i18n from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';

const zh = {
  title: '守望 · 群众服务',
  subtitle: '非紧急事项网上报事',
  emergencyBar: '紧急情况请直接拨打 110',
  phone: '手机号',
  code: '验证码',
  getCode: '获取验证码',
  signIn: '登录',
  signOut: '退出',
  demoPhone: '演示号码：{{phone}}',
  demoCode: '演示 DEMO：验证码 {{code}}（正式环境通过短信发送）',
  useDemoCode: '填入',
  tabReport: '我要报事',
  tabMine: '我的报事',
  tabNotes: '消息',
  category: '事项类别',
  place: '地点',
  useGps: '使用我的位置',
  gpsOk: '已定位：{{lon}}, {{lat}}',
  gpsFail: '无法获取位置，请输入标准地址编码（门牌二维码上的编码）',
  addressCode: '标准地址编码（扫门牌二维码自动填入）',
  description: '发生了什么',
  descriptionHint: '请描述问题、时间和具体位置；内容将公开（不含您的手机号）',
  submit: '提交',
  submitting: '正在提交…',
  call110: '这可能是紧急情况：请立即拨打110！',
  call110Link: '拨打 110',
  insist: '不是紧急情况，仍要网上提交',
  dupTitle: '附近已有相同问题正在办理',
  dupHint: '与其重复上报，不如“我也反映”：您将收到它的处理结果。',
  addVoice: '我也反映',
  voiced: '已附议，可在“我的报事”中跟进',
  newAnyway: '不是同一件事，仍然新建',
  metres: '{{m}} 米',
  voices: '{{n}} 人也反映',
  created: '已提交，编号 #{{id}}',
  none: '暂无报事',
  noNotes: '暂无消息',
  back: '返回',
  history: '处理进度',
  mineTag: '我提交的',
  followTag: '我附议的',
  urgent: '紧急',
  lang: 'English',
  status_received: '已收到',
  status_accepted: '已受理',
  status_in_progress: '处理中',
  status_resolved: '已办结',
  status_rejected: '不予受理',
  status_duplicate: '重复（已并入）',
  report: '报事',
  required: '请填写完整',
  photos: '照片（最多 6 张）',
  photosHint: '照片的拍摄位置等信息会被自动清除；请勿拍摄无关人员的面部',
  roomsTitle: '附近的社区警务室',
  roomsNear: '按我的位置排序',
  roomOpen: '接待中',
  roomClosed: '未开放',
};
type Dict = typeof zh;
const en: Dict = {
  title: 'Shouwang · Citizen service',
  subtitle: 'Report a non-emergency online',
  emergencyBar: 'In an emergency call 110',
  phone: 'Mobile number',
  code: 'Code',
  getCode: 'Get a code',
  signIn: 'Sign in',
  signOut: 'Sign out',
  demoPhone: 'Demo number: {{phone}}',
  demoCode: 'DEMO 演示: code {{code}} (sent by SMS in production)',
  useDemoCode: 'Fill in',
  tabReport: 'Report',
  tabMine: 'My reports',
  tabNotes: 'Updates',
  category: 'Category',
  place: 'Place',
  useGps: 'Use my location',
  gpsOk: 'Located: {{lon}}, {{lat}}',
  gpsFail: 'No location: enter the standard address code (on the door plate’s QR code)',
  addressCode: 'Standard address code (filled in from a door-plate QR code)',
  description: 'What happened',
  descriptionHint: 'Describe the problem, when and exactly where; it is public (your number is not)',
  submit: 'Send',
  submitting: 'Sending…',
  call110: 'This may be an emergency: call 110 now!',
  call110Link: 'Call 110',
  insist: 'It is not an emergency: send it online anyway',
  dupTitle: 'The same problem nearby is already being handled',
  dupHint: 'Rather than report it again, add your voice: you will hear its outcome.',
  addVoice: 'Add my voice',
  voiced: 'Voice added: follow it under My reports',
  newAnyway: 'It is something else: make a new report',
  metres: '{{m}} m',
  voices: '{{n}} others too',
  created: 'Sent: number #{{id}}',
  none: 'No reports yet',
  noNotes: 'No updates',
  back: 'Back',
  history: 'Progress',
  mineTag: 'Mine',
  followTag: 'Following',
  urgent: 'Urgent',
  lang: '中文',
  status_received: 'Received',
  status_accepted: 'Accepted',
  status_in_progress: 'In progress',
  status_resolved: 'Resolved',
  status_rejected: 'Rejected',
  status_duplicate: 'Duplicate (merged)',
  report: 'Report',
  required: 'Please fill in every field',
  photos: 'Photos (up to 6)',
  photosHint: 'Location and other data in photos are removed; do not photograph bystanders’ faces',
  roomsTitle: 'Community police rooms nearby',
  roomsNear: 'Sort by my position',
  roomOpen: 'Open now',
  roomClosed: 'Closed',
};

export type Lang = 'zh' | 'en';
export function initialLang(): Lang {
  try {
    const v = localStorage.getItem('shouwang.lang');
    if (v === 'zh' || v === 'en') return v;
  } catch {
    /* no storage */
  }
  return /^en\b/i.test(navigator.language ?? '') ? 'en' : 'zh';
}

void i18n.use(initReactI18next).init({ resources: { zh: { portal: zh }, en: { portal: en } }, lng: initialLang(), fallbackLng: 'zh', defaultNS: 'portal', interpolation: { escapeValue: false } });

export function setLang(l: Lang) {
  try {
    localStorage.setItem('shouwang.lang', l);
  } catch {
    /* no storage */
  }
  document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en';
  void i18n.changeLanguage(l);
}

/** The portal's `t`, typed by its own dictionary (the staff app's key types are for its namespaces). */
export function usePortalT(): { t: (key: keyof Dict, opts?: Record<string, unknown>) => string } {
  const { t } = useTranslation('portal' as never);
  return { t: t as unknown as (key: keyof Dict, opts?: Record<string, unknown>) => string };
}

export default i18n;
