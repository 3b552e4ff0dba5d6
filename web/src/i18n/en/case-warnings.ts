/** English · cases (clock warnings): the header's warnings tray and the daily digest; spread into cases.ts. */
import type zh from '../zh/case-warnings';

export default {
  warnTray: 'Clock warnings',
  warnTrayTitle: 'Statutory clock warnings',
  warnEmpty: 'No clock warnings to deal with',
  warnLevel_yellow: 'Due soon',
  warnLevel_red: 'Overdue',
  warnDue: 'due {{at}}',
  warnAck: 'Acknowledge',
  warnAcked: 'Acknowledged',
  warnOpenCase: 'Open the case',
  warnUnacked: '{{n}} not acknowledged',
  warnDigest: 'Today: {{overdue}} overdue, {{soon}} due within 24 h',
} satisfies Record<keyof typeof zh, string>;
