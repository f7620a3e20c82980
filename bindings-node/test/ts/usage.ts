// Type-checked (not run) by test/types.test.js with `tsc --strict`: the public typings are
// precise (not `any`), so these lines compile and the `@ts-expect-error` lines do not.
import { Engine, CrmIndex, Replayer, ingest, version, defaultPolicy, errorCodes } from '../..'
import { sync as crmSync, CrmSync } from '../../crm'
import type { CrmSyncOutcome, CrmRequest, TwilioSendOutcome } from '../..'
import { TwilioSend, send as sendTexts } from '../../messaging'
import type { Decision, MissedCallEvent, Status, RecordAction, TickAction, RingbackError, IngestResult, Policy } from '../..'

const policy: Policy = defaultPolicy()
const engine = new Engine(policy)
const event: MissedCallEvent = {
  event_id: 'CAL1',
  location_id: 'phx-01',
  occurred_at: '2026-11-24T09:15:00-07:00',
  disposition: 'no_answer',
}
const d: Decision = engine.process(event, { contacts: [] })
const s: Status = d.status
const a: RecordAction = d.record.action
const e164: string | null | undefined = d.caller.e164
const many: Promise<Decision[]> = engine.processMany([event], new CrmIndex(engine, { contacts: [] }))
const t: TickAction = engine.tick({ id: 'f', created_at: '2026-11-24T09:00:00Z' }, new Date())
if (t.action === 'escalate') {
  const tier: number = t.tier
  void tier
}
const r: IngestResult = ingest.twilio('CallSid=CA1', { received_at: '2026-11-24T16:15:30Z' })
if (r.ingested === 'event') {
  const ev: MissedCallEvent = r.event
  void ev
}
const v: string = version
const codes = errorCodes()
try {
  engine.processJson('{')
} catch (err) {
  const re = err as RingbackError
  const code: (typeof codes)[number] = re.code
  void code
}

// @ts-expect-error: status is an enum of known strings
const wrong: Status = 'maybe'
// @ts-expect-error: decisions are typed, unknown fields are errors
d.no_such_field
// @ts-expect-error: disposition is required on an event
const missing: MissedCallEvent = { event_id: 'x', location_id: 'y', occurred_at: 'z' }

const replayer = new Replayer(engine, new CrmIndex(engine, { contacts: [] }))
const replayed: Decision = replayer.decide(event)
const answers: Array<Decision | RingbackError> = replayer.replay([event])
const lines: string = replayer.replayJsonl('')
const missedCalls: number = replayer.summary().portfolio.missed_calls
const rejected: number = replayer.stats.rejected
// @ts-expect-error: a replay summary is typed
replayer.summary().no_such_figure

const machine = new CrmSync('salesforce', replayed)
const next: CrmRequest | null = machine.nextRequest()
const zoho = new CrmSync('zoho', replayed)
const texts = new TwilioSend(replayed, { account_sid: 'AC00000000000000000000000000000001', from: '+16025550100' }, '2026-11-24T09:16:00-07:00')
const sent: TwilioSendOutcome = texts.outcome()
const later: Promise<TwilioSendOutcome> = sendTexts(replayed, { config: { account_sid: 'AC00000000000000000000000000000001', from: '+16025550100' }, now: '2026-11-24T09:16:00-07:00' })
// @ts-expect-error: a Twilio config needs its account SID
new TwilioSend(replayed, { from: '+16025550100' }, '2026-11-24T09:16:00-07:00')
const pending: Promise<CrmSyncOutcome> = crmSync(replayed, { baseUrl: 'http://127.0.0.1:1', system: 'hubspot' })
// @ts-expect-error: only the CRMs ringback knows
new CrmSync('sugarcrm', replayed)

void [s, a, e164, many, v, wrong, missing, replayed, answers, lines, missedCalls, rejected, next, pending]
