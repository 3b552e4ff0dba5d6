/** The portal's refusals in zh-CN and English, each naming the field at fault when there is one. */
import { AppError } from '../../core/errors.js';

export const CITIZEN_MESSAGES = {
  citizen_invalid: { zh: '字段 {field}：{zh}', en: 'Field {field}: {en}' },
  citizen_rule: { zh: '{zh}', en: '{en}' },
  otp_locked: { zh: '验证码错误次数过多，该号码已暂时锁定，请 {seconds} 秒后再试', en: 'Too many wrong codes: this number is locked, try again in {seconds} s' },
  otp_rate_phone: { zh: '该号码获取验证码过于频繁，请 {seconds} 秒后再试', en: 'Too many codes for this number: try again in {seconds} s' },
  otp_rate_ip: { zh: '获取验证码过于频繁，请稍后再试', en: 'Too many codes asked from here: try again later' },
  otp_resend_wait: { zh: '请 {seconds} 秒后再获取验证码', en: 'Wait {seconds} s before asking for another code' },
  otp_expired: { zh: '验证码已过期，请重新获取', en: 'The code has expired: ask for a new one' },
  otp_wrong: { zh: '验证码不正确', en: 'The code is not right' },
  otp_none: { zh: '请先获取验证码', en: 'Ask for a code first' },
  citizen_unauthenticated: { zh: '请先用手机号登录', en: 'Sign in with your phone number first' },
  citizen_staff_cookie: { zh: '工作人员账号不能使用群众服务，请退出后以群众身份登录', en: 'Staff accounts cannot use the citizen portal: sign in as a citizen' },
} as const;

export function invalidField(field: string, zh: string, en: string): AppError {
  return new AppError(400, 'citizen_invalid', { field, zh, en }, field);
}

export function refuse(zh: string, en: string, status = 409): AppError {
  return new AppError(status, 'citizen_rule', { zh, en });
}
