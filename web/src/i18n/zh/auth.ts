/** zh-CN · auth: Signing in and passwords: the sign-in page and the change-password dialog. */
export default {
  // user menu
  changePassword: '修改密码',
  // login
  signIn: '登录',
  signInTitle: '登录守望',
  password: '密码',
  usernameRequired: '请输入用户名',
  passwordRequired: '请输入密码',
  demoTitle: '演示模式',
  demoText: '此实例运行在演示模式下，数据为演示城市（澳门）自动生成。以下演示账户的密码均为 {{password}}，点击账户即可填入。',
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
} as const;
