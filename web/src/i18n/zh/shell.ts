/** zh-CN · shell: The frame around every page (header, user menu) and the home page. */
export default {
  // header / user menu
  signOut: '退出',
  signedOut: '已退出登录',
  // home
  homeWelcome: '你好，{{name}}',
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
} as const;
