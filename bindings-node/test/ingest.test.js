'use strict';
// ingest.<vendor>(payload, options) on real vendor payloads (copies of ../shared/vendors
// samples in the repository's tests/vendors), as a string, a Buffer and a parsed object.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { ringback } = require('./helpers');

const { ingest } = ringback;
const fixture = (f) => fs.readFileSync(path.join(__dirname, '..', '..', 'tests', 'vendors', f), 'utf8');
const OPTIONS = {
  location_map: { '+17722476154': 'psl-01', 'aircall:397375': 'vie-01' },
  default_location: 'hq-01',
  received_at: '2026-11-24T16:15:30Z',
};

test('ingest exposes every vendor, in SPEC order', () => {
  const names = ['callrail', 'twilio', 'aircall', 'dialpad', 'vonage', 'invoca', 'ringcentral', 'zoom', 'ctm',
    'marchex', 'convirza', 'whatconverts', 'ringostat', 'dialogtech', 'callsource', 'custom',
    'retell', 'vapi', 'bland', 'airai', 'voiceflow'];
  assert.deepEqual(ingest.vendors(), names);
  for (const n of names) assert.equal(typeof ingest[n], 'function', n);
});

test('twilio: a Dial action with DialCallStatus=no-answer is a missed call', () => {
  const body = fixture('twilio-dial-action-no-answer-verbatim.txt');
  const r = ingest.twilio(body, OPTIONS);
  assert.equal(r.ingested, 'event', JSON.stringify(r));
  const ev = r.event;
  assert.equal(ev.event_id, 'CA4b2c80691a3b7059f44c09530901f525');
  assert.equal(ev.location_id, 'psl-01');
  assert.equal(ev.caller_number, '+17722065315');
  assert.equal(ev.disposition, 'no_answer');
  assert.equal(ev.raw_disposition, 'no-answer');
  // The same body as a Buffer, and as the object a body parser makes of it.
  assert.deepEqual(ingest.twilio(Buffer.from(body), OPTIONS), r);
  assert.deepEqual(ingest.twilio(Object.fromEntries(new URLSearchParams(body)), OPTIONS), r);
  assert.deepEqual(ingest.parse('twilio', body, JSON.stringify(OPTIONS)), r);
  // Options may carry a Date.
  assert.deepEqual(ingest.twilio(body, { ...OPTIONS, received_at: new Date('2026-11-24T16:15:30Z') }).event.event_id, ev.event_id);
});

test('aircall: call.ended with a voicemail is an event; call.hungup is incomplete; outbound answered is not missed', () => {
  const ended = fixture('aircall-call-ended-inbound-missed-with-voicemail-verbatim.json');
  const r = ingest.aircall(ended, OPTIONS);
  assert.equal(r.ingested, 'event', JSON.stringify(r));
  assert.equal(r.event.event_id, '780836754');
  assert.equal(r.event.location_id, 'vie-01');
  assert.equal(r.event.caller_number, '+443308186690');
  assert.equal(r.event.tracking_number, '+43720880079');
  // Voicemail is an overlay on the missed call; the stable `asset` link is kept, not the
  // expiring signed S3 URL.
  assert.equal(r.event.disposition, 'no_answer');
  assert.equal(r.event.raw_disposition, 'agents_did_not_answer');
  assert.equal(r.event.voicemail.recording_url, 'https://assets.aircall.io/calls/780836754/voicemail');
  assert.deepEqual(ingest.aircall(JSON.parse(ended), OPTIONS), r);
  assert.equal(ingest.aircall(fixture('aircall-call-hungup-inbound-missed-verbatim.json'), OPTIONS).ingested, 'incomplete');
  assert.equal(ingest.aircall(fixture('aircall-call-ended-outbound-answered-verbatim.json'), OPTIONS).ingested, 'not_missed');
});

test('callrail: post-call voicemail and missed webhooks are events', () => {
  const vm = ingest.callrail(fixture('callrail-post-call-voicemail-verbatim.json'), OPTIONS);
  assert.equal(vm.ingested, 'event', JSON.stringify(vm));
  assert.equal(vm.event.disposition, 'voicemail');
  const missed = ingest.callrail(fixture('callrail-post-call-missed-reconstructed.json'), OPTIONS);
  assert.equal(missed.ingested, 'event', JSON.stringify(missed));
  assert.notEqual(missed.event.disposition, 'voicemail');
});

test('an ingested event goes straight into engine.process', () => {
  const engine = new ringback.Engine(fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'node', 'policy.json'), 'utf8'));
  const r = ingest.twilio(fixture('twilio-dial-action-no-answer-verbatim.txt'), OPTIONS);
  const d = engine.process(r.event);
  assert.equal(d.event_id, 'CA4b2c80691a3b7059f44c09530901f525');
  assert.equal(d.caller.e164, '+17722065315');
});

test('bad payloads are coded errors', () => {
  assert.throws(() => ingest.aircall('not json at all', OPTIONS), (e) => ['invalid_json', 'unsupported_payload'].includes(e.code));
  assert.throws(() => ingest.twilio('', OPTIONS), (e) => ringback.errorCodes().includes(e.code) && e.code !== 'internal');
  assert.throws(() => ingest.twilio(fixture('twilio-dial-action-no-answer-verbatim.txt'), { bogus_option: 1 }), (e) => e.code !== 'internal' && typeof e.path === 'string');
});

test('retell: a caller who hung up on the AI carries its summary and captured intent', () => {
  const body = fixture('retell-webhook-call-analyzed-inbound-user-hangup-reconstructed.json');
  const r = ingest.retell(body, OPTIONS);
  assert.equal(r.ingested, 'event', JSON.stringify(r));
  assert.equal(r.event.location_id, 'bayside', 'metadata.location_id');
  assert.equal(r.event.disposition, 'abandoned');
  assert.equal(r.event.ai_receptionist.handled, false);
  assert.equal(r.event.ai_receptionist.captured_intent, 'reschedule_appointment');
  const handled = JSON.parse(body);
  handled.call.call_analysis.call_successful = true;
  handled.call.call_analysis.custom_analysis_data.booked = true;
  assert.equal(ingest.retell(handled, OPTIONS).ingested, 'not_missed');
});

test('ringostat through the mapping, with the integrator value table', () => {
  const body = JSON.parse(fixture('ringostat-webhook-after-call-no-answer-reconstructed.json'));
  const opts = { ...OPTIONS, location_time_zones: { 'hq-01': 'Europe/Kyiv' } };
  const r = ingest.ringostat(body, opts);
  assert.equal(r.event.caller_number, '+380671234567');
  assert.equal(r.event.occurred_at, '2026-02-10T19:42:05+02:00');
  body.disposition = 'LOST';
  assert.throws(() => ingest.ringostat(body, opts), { code: 'unsupported_payload', path: 'disposition' });
  const mapped = ingest.ringostat(body, { ...opts, mapping: { dispositions: { lost: 'abandoned' } } });
  assert.equal(mapped.event.disposition, 'abandoned');
});

test('parseMany: a call-log page with one bad record keeps every other record', () => {
  const record = (i) => ({
    id: `r${i}`, telephonySessionId: `s-${i}`, startTime: '2026-11-24T16:01:00.000Z', type: 'Voice',
    direction: 'Inbound', result: 'Missed', from: { phoneNumber: `+1602555${1000 + i}` }, to: { phoneNumber: '+17722476154' },
  });
  const records = Array.from({ length: 250 }, (_, i) => record(i));
  records[42].startTime = 'not a time';
  records[43].from = { extensionNumber: '102' };
  const items = ingest.parseMany('ringcentral', JSON.stringify({ records }), OPTIONS);
  assert.equal(items.length, 250);
  assert.equal(items.filter((x) => x.ingested === 'event').length, 248);
  assert.deepEqual(items[42].error.path, 'records[42].startTime');
  assert.equal(items[42].error.code, 'invalid_timestamp');
  assert.deepEqual(items[43], { ingested: 'not_missed', reason: 'internal_call' });
  assert.throws(() => ingest.parseMany('ringcentral', '{"records": 1}', OPTIONS), { code: 'unsupported_payload' });
});
