/** English · dispatch: an alert's text from its kind and parameters (src/modules/dispatch/domain/alerts.ts). */
import type zh from '../zh/dispatch-alerts';

export default {
  am_ack_timeout: '{{callSign}} has not acknowledged the assignment for over {{s}} s (incident {{number}})',
  am_p1_unassigned: 'P1 incident {{number}} has had no unit for over {{s}} s',
  am_escalated: '; escalated to the commander',
} satisfies Record<keyof typeof zh, string>;
