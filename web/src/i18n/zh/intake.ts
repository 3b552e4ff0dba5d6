/** zh-CN · intake: the call-taker console's own words (call times, address suggestions, locate later, transfer). */
export default {
  // call times (issue 11 #7)
  keyAnswered: '接听',
  answeredPending: '接听时按下，记录接听时刻',
  answeredAt: '接听 {{time}}',
  answerTime: '应答 {{s}}',
  answerUnknown: '应答时长未知（无话务系统来电时间）',
  fromTelephony: '来电时间来自话务系统',
  // address (issue 11 #2, #3)
  addressSearching: '正在查找“{{q}}”…',
  addressEnterWaits: '正在查找，找到后自动选第一条',
  addressNoMatch: '标准地址库中没有匹配，原话已保留；可搜地标或在地图上点选',
  addressKept: '已按报警人原话记录，未关联标准地址',
  addressAccepted: '已采用标准地址',
  addressAlias: '别称：{{alias}}',
  // open disputes at the caller's number or the place (issue 12)
  disputesOpen: '在办纠纷',
  disputesNoPersonal: '来电号码或地点有未结纠纷',
  disputeDays: '在办 {{n}} 天',
  disputeByPhone: '号码相符',
  disputeByAddress: '地址相符',
  disputeByPlace: '100 米内',
  disputesMore: '另有 {{n}} 起',
} as const;
