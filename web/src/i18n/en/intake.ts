/** English · intake: the call-taker console's own words (call times, address suggestions, locate later, transfer). */
import type zh from '../zh/intake';

export default {
  keyAnswered: 'answered',
  answeredPending: 'press when you answer',
  answeredAt: 'Answered {{time}}',
  answerTime: 'Answer {{s}}',
  answerUnknown: 'Answer time unknown (no call start from telephony)',
  fromTelephony: 'Call start from telephony',
  addressSearching: 'Looking up “{{q}}”…',
  addressEnterWaits: 'Searching: the first match will be taken when found',
  addressNoMatch: 'No match in the address registry; the caller’s words are kept. Search a landmark or click the map',
  addressKept: 'Recorded as the caller said it, no registry address',
  addressAccepted: 'Registry address accepted',
  addressAlias: 'Also known as: {{alias}}',
  // open disputes at the caller's number or the place (issue 12)
  disputesOpen: 'Open disputes',
  disputesNoPersonal: 'unresolved at this number or place',
  disputeDays: 'days open: {{n}}',
  disputeByPhone: 'same number',
  disputeByAddress: 'same address',
  disputeByPlace: 'within 100 m',
  disputesMore: '{{n}} more',
} satisfies Record<keyof typeof zh, string>;
