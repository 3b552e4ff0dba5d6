/** zh-CN · cases（期限预警）：页眉的预警托盘与每日汇总；展开进 cases.ts。 */
export default {
  warnTray: '期限预警',
  warnTrayTitle: '法定期限预警',
  warnEmpty: '没有待处理的期限预警',
  warnLevel_yellow: '临期',
  warnLevel_red: '超期',
  warnDue: '届满 {{at}}',
  warnAck: '知悉',
  warnAcked: '已知悉',
  warnOpenCase: '打开案件',
  warnUnacked: '{{n}} 条未知悉',
  warnDigest: '今日汇总：超期 {{overdue}} 项，24 小时内到期 {{soon}} 项',
} as const;
