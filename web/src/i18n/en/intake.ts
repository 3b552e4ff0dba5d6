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
} satisfies Record<keyof typeof zh, string>;
