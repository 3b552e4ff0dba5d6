/** 简体中文 · dispatch: an alert's text from its kind and parameters (src/modules/dispatch/domain/alerts.ts). */
export default {
  am_ack_timeout: '{{callSign}} 超过{{s}}秒未确认派警（警情 {{number}}）',
  am_p1_unassigned: 'P1警情 {{number}} 超过{{s}}秒未派警',
  am_escalated: '，已上报指挥长',
} as const;
