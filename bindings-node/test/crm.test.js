'use strict';
// ringback/crm over real HTTP: the fetch driver moves the core machine's requests to the
// faithful Salesforce/HubSpot fakes (tests/crm-fake, started as a process on 127.0.0.1).
const test = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const path = require('node:path');
const fs = require('node:fs');
const readline = require('node:readline');

const ringback = require('..');
const crm = require('../crm');
const { PHOENIX_POLICY } = require('./helpers');

const FAKE = process.env.RINGBACK_CRM_FAKE || path.join(__dirname, '..', '..', 'target', 'debug', 'crm-fake');

async function startFake() {
  assert.ok(fs.existsSync(FAKE), `build the fake first: cargo build -p ringback-crm-fake (${FAKE})`);
  const proc = spawn(FAKE, [], { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise((resolve) => readline.createInterface({ input: proc.stdout }).once('line', resolve));
  assert.match(line, /^listening on http:\/\/127\.0\.0\.1:\d+$/);
  return { base: line.replace('listening on ', ''), stop: () => proc.stdin.end() };
}

const headers = { Authorization: 'Bearer fake-token' };
const state = async (base) => (await fetch(`${base}/__fake/state`)).json();
const event = (id, number, at = '2026-11-24T09:15:00-07:00') => ({
  event_id: id, location_id: 'phx-01', occurred_at: at, caller_number: number, disposition: 'voicemail',
  voicemail: { transcript: 'my water heater is leaking, please call me back' },
});

for (const system of ['salesforce', 'hubspot']) {
  test(`${system}: lookup, decide, sync, and a replay that writes nothing`, async () => {
    const fake = await startFake();
    try {
      const seed = system === 'salesforce'
        ? { salesforce: [{ object: 'Contact', fields: { FirstName: 'Dana', LastName: 'Reyes', Phone: '(602) 555-0143' } }] }
        : { hubspot: [{ type: 'contacts', properties: { firstname: 'Dana', lastname: 'Reyes', phone: '(602) 555-0143', lifecyclestage: 'customer' } }] };
      assert.ok((await fetch(`${fake.base}/__fake/seed`, { method: 'POST', body: JSON.stringify(seed) })).ok);
      const engine = new ringback.Engine(PHOENIX_POLICY);
      const calls = [event('CAL-1', '+16025550143'), event('CAL-2', '602.555.0188', '2026-11-24T10:00:00-07:00')];
      const runs = [];
      for (let pass = 0; pass < 2; pass++) {
        for (const e of calls) {
          const snap = await crm.snapshot({ baseUrl: fake.base, system, caller: e.caller_number, location: 'phx-01', headers });
          const decision = engine.process(e, snap);
          const outcome = await crm.sync(decision, { baseUrl: fake.base, system, headers });
          assert.equal(outcome.state, 'done', JSON.stringify(outcome.failure));
          runs.push({ decision, outcome });
        }
      }
      assert.equal(runs[0].decision.record.action, 'append_to_customer');
      assert.equal(runs[1].decision.record.action, 'create_lead');
      const s = await state(fake.base);
      if (system === 'salesforce') {
        assert.equal(s.salesforce.filter((r) => r.object === 'Lead').length, 1);
        assert.equal(s.salesforce.filter((r) => r.object === 'Task' && r.fields.TaskSubtype === 'Call').length, 2);
      } else {
        assert.equal(s.hubspot.filter((r) => r.object === 'contacts').length, 2);
        assert.equal(s.hubspot.filter((r) => r.object === 'calls').length, 2);
      }
      assert.ok(runs.slice(2).every((r) => r.outcome.written.every((w) => w.created !== true)), 'the replay created nothing');
    } finally {
      fake.stop();
    }
  });
}

test('the machine by hand, a 429 storm, and bad input', async () => {
  const fake = await startFake();
  try {
    await fetch(`${fake.base}/__fake/config`, { method: 'POST', body: JSON.stringify({ throttle_every: 2 }) });
    const engine = new ringback.Engine(PHOENIX_POLICY);
    const decision = engine.process(event('CAL-9', '+16025550177'), { contacts: [] });
    const waits = [];
    const outcome = await crm.sync(decision, {
      baseUrl: fake.base, system: 'salesforce', headers, config: { max_attempts: 6, retry_seconds: 0 },
      sleep: async (ms) => { waits.push(ms); },
    });
    assert.equal(outcome.state, 'done');
    assert.ok(outcome.retries >= 1);
    const machine = new crm.CrmSync('hubspot', decision);
    assert.equal(machine.nextRequest().method, 'POST');
    machine.feed({ status: 401, body: '' });
    assert.equal(machine.nextRequest(), null);
    assert.equal(machine.outcome().failure.code, 'crm_rejected');
    assert.throws(() => new crm.CrmSync('dynamics', decision), { code: 'invalid_crm', path: 'system' });
    assert.throws(() => crm.crmLookup('salesforce', 'not a number', 'phx-01'), { code: 'invalid_event' });
    assert.equal(crm.crmLookup('salesforce', '(602) 555-0143', 'phx-01').key, 'phone:+16025550143');
  } finally {
    fake.stop();
  }
});
