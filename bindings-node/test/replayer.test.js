'use strict';
// Replayer: the core's replay loop from Node. The demo week must come out byte for byte as
// the shared case tests/replay/demo_week.json says (the same case the CLI, Python and C
// suites check), through JSON lines and through an array of objects.
const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');

const ringback = require('..');
const { readRepo, PHOENIX_POLICY } = require('./helpers');

const CASE = JSON.parse(readRepo('tests', 'replay', 'demo_week.json'));

function demoReplayer() {
  const engine = new ringback.Engine(readRepo(CASE.policy));
  return new ringback.Replayer(engine, readRepo(CASE.crm));
}

test('the demo week as JSON lines is the shared case, byte for byte', () => {
  const r = demoReplayer();
  const out = r.replayJsonl(readRepo(CASE.events));
  const expect = CASE.expect;
  assert.equal(crypto.createHash('sha256').update(out).digest('hex'), expect.jsonl_sha256);
  const lines = out.trimEnd().split('\n').map((l) => JSON.parse(l));
  assert.equal(lines.length, expect.lines);
  assert.equal(lines[0].event_id, expect.first_event_id);
  assert.equal(lines[lines.length - 1].event_id, expect.last_event_id);
  const statuses = {};
  for (const d of lines) statuses[d.status] = (statuses[d.status] || 0) + 1;
  assert.deepEqual(statuses, expect.statuses);
  for (const line of readRepo(CASE.outcomes).split('\n').filter((l) => l.trim())) {
    r.recordOutcome(line);
  }
  const summary = r.summary();
  assert.equal(summary.portfolio.missed_calls, expect.missed_calls);
  assert.equal(summary.portfolio.converted, expect.converted);
  assert.equal(summary.portfolio.recovered_value, expect.recovered_value);
  assert.deepEqual(r.stats, { events: 473, rejected: 0, outcomes: 432, outcomesRejected: 0 });
});

test('an array of objects in any order gives the same decisions', () => {
  const events = readRepo(CASE.events)
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l))
    .reverse();
  const answers = demoReplayer().replay(events);
  const reference = demoReplayer()
    .replayJsonl(readRepo(CASE.events))
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.equal(answers.length, reference.length);
  assert.deepEqual(answers, reference);
});

function event(id, at, extra = {}) {
  return {
    event_id: id,
    location_id: 'phx-01',
    occurred_at: at,
    caller_number: '(602) 555-0143',
    disposition: 'voicemail',
    voicemail: { transcript: 'the water heater is leaking, call me back' },
    ...extra,
  };
}

test('a retry is a duplicate and a bad event keeps its place', () => {
  const r = new ringback.Replayer(new ringback.Engine(PHOENIX_POLICY));
  const first = event('CAL-1', '2026-11-24T09:15:00-07:00');
  const retry = event('CAL-1', '2026-11-24T09:15:00-07:00', { received_at: '2026-11-24T09:17:00-07:00' });
  const later = event('CAL-2', '2026-11-24T11:00:00-07:00');
  const nowhere = event('CAL-3', '2026-11-24T10:00:00-07:00', { location_id: 'nowhere' });
  const answers = r.replay([later, first, 42, retry, nowhere]);
  const shape = answers.map((a) => (a instanceof Error ? a.code : a.event_id));
  assert.deepEqual(shape, ['CAL-1', 'invalid_event', 'CAL-1', 'unknown_location', 'CAL-2']);
  assert.equal(answers[0].status, 'follow_up');
  assert.equal(answers[2].status, 'duplicate_event');
  assert.equal(answers[1].index, 2);
  assert.ok(answers[1].path.startsWith('[2]'), answers[1].path);
  assert.equal(answers[3].index, 4);
  assert.equal(answers[4].record.action, 'append_to_open_followup');
  assert.equal(r.stats.rejected, 2);
});

test('decide streams, outcomes match the counted decision, bad arguments throw', () => {
  const engine = new ringback.Engine(PHOENIX_POLICY);
  const index = new ringback.CrmIndex(engine, { contacts: [] });
  const r = new ringback.Replayer(engine, index);
  assert.equal(r.decide(event('CAL-1', '2026-11-24T09:15:00-07:00')).status, 'follow_up');
  assert.equal(r.decide(JSON.stringify(event('CAL-1', '2026-11-24T09:15:00-07:00'))).status, 'duplicate_event');
  // The index passed in was copied: the engine still sees an empty CRM through it.
  assert.equal(engine.process(event('CAL-1', '2026-11-24T09:15:00-07:00'), index).status, 'follow_up');
  const a = r.recordOutcome({ event_id: 'CAL-1', kind: 'converted', value: 300, at: '2026-11-24T10:00:00-07:00' });
  assert.equal(a.recovered_value, 300);
  assert.throws(
    () => r.recordOutcome({ event_id: 'CAL-404', kind: 'engaged', at: '2026-11-24T10:00:00-07:00' }),
    (e) => e.code === 'invalid_event' && e.path === 'event_id',
  );
  assert.throws(() => r.decide(event('CAL-9', '2026-11-24T09:15:00-07:00', { location_id: 'nowhere' })), {
    code: 'unknown_location',
  });
  assert.throws(() => r.replayJsonl([event('CAL-1', '2026-11-24T09:15:00-07:00')]), { code: 'invalid_event' });
  assert.throws(() => r.decide(undefined), { code: 'invalid_event' });
  assert.equal(r.summary().portfolio.missed_calls, 1);
});
