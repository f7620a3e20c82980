'use strict';
// ringback/crm over real HTTP: the fetch driver moves the core machine's requests to the
// faithful fakes of the five CRMs (tests/crm-fake, started as a process on 127.0.0.1).
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

const headersFor = (system) => ({ Authorization: system === 'zoho' ? 'Zoho-oauthtoken fake-token' : 'Bearer fake-token' });
const headers = headersFor('salesforce');
const SYSTEMS = ['salesforce', 'hubspot', 'zoho', 'dynamics', 'pipedrive'];
// Dana Reyes, a customer stored as (602) 555-0143, as each CRM keeps her.
const SEED = {
  salesforce: { salesforce: [{ object: 'Contact', fields: { FirstName: 'Dana', LastName: 'Reyes', Phone: '(602) 555-0143' } }] },
  hubspot: { hubspot: [{ type: 'contacts', properties: { firstname: 'Dana', lastname: 'Reyes', phone: '(602) 555-0143', lifecyclestage: 'customer' } }] },
  zoho: { zoho: [{ object: 'Contacts', fields: { First_Name: 'Dana', Last_Name: 'Reyes', Phone: '(602) 555-0143' } }] },
  dynamics: { dynamics: [{ object: 'contacts', fields: { firstname: 'Dana', lastname: 'Reyes', telephone1: '(602) 555-0143', statecode: 0 } }] },
  pipedrive: { pipedrive: [{ object: 'persons', fields: { name: 'Dana Reyes', phones: [{ value: '(602) 555-0143', primary: true }] } }] },
};
// Where each CRM keeps the people ringback created (object, key field), and the calls.
const PEOPLE = { salesforce: ['Lead', 'Ringback_Key__c'], hubspot: ['contacts', 'ringback_key'], zoho: ['Leads', 'Ringback_Key'], dynamics: ['leads', 'ringback_key'], pipedrive: ['persons', 'custom_fields'] };
const CALLS = { hubspot: 'calls', zoho: 'Calls', dynamics: 'phonecalls', pipedrive: 'callLogs' };
const created = (s, system) => s[system].filter((r) => r.object === PEOPLE[system][0] && r.fields[PEOPLE[system][1]]);
const calls = (s, system) => (system === 'salesforce'
  ? s.salesforce.filter((r) => r.object === 'Task' && r.fields.TaskSubtype === 'Call')
  : s[system].filter((r) => r.object === CALLS[system]));
const state = async (base) => (await fetch(`${base}/__fake/state`)).json();
const event = (id, number, at = '2026-11-24T09:15:00-07:00') => ({
  event_id: id, location_id: 'phx-01', occurred_at: at, caller_number: number, disposition: 'voicemail',
  voicemail: { transcript: 'my water heater is leaking, please call me back' },
});

for (const system of SYSTEMS) {
  test(`${system}: lookup, decide, sync, and a replay that writes nothing`, async () => {
    const fake = await startFake();
    try {
      assert.ok((await fetch(`${fake.base}/__fake/seed`, { method: 'POST', body: JSON.stringify(SEED[system]) })).ok);
      const engine = new ringback.Engine(PHOENIX_POLICY);
      const hooks = [event('CAL-1', '+16025550143'), event('CAL-2', '602.555.0188', '2026-11-24T10:00:00-07:00')];
      const runs = [];
      const headers = headersFor(system);
      for (let pass = 0; pass < 2; pass++) {
        for (const e of hooks) {
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
      assert.equal(created(s, system).length, 1, 'one new person');
      assert.equal(calls(s, system).length, 2, 'one activity per call, none added by the replay');
      assert.ok(runs.slice(2).every((r) => r.outcome.written.every((w) => w.created !== true)), 'the replay created nothing');
    } finally {
      fake.stop();
    }
  });

  test(`${system}: racing webhooks for one new number make one person and two activities`, async () => {
    const fake = await startFake();
    try {
      if (system === 'pipedrive') {
        // No uniqueness in Pipedrive: its guarantee holds once search shows each create.
        await fetch(`${fake.base}/__fake/config`, { method: 'POST', body: JSON.stringify({ index_lag: 0 }) });
      }
      const engine = new ringback.Engine(PHOENIX_POLICY);
      const decisions = [1, 2].map((i) => engine.process(event(`RACE-${i}`, '(602) 555-0101', `2026-11-24T10:0${i}:00-07:00`), { contacts: [] }));
      assert.ok(decisions.every((d) => d.record.action === 'create_lead'));
      const outcomes = await Promise.all(decisions.map((d) => crm.sync(d, { baseUrl: fake.base, system, headers: headersFor(system) })));
      assert.ok(outcomes.every((o) => o.state === 'done'));
      assert.equal(new Set(outcomes.map((o) => o.person.id)).size, 1, 'both calls on the same record');
      const s = await state(fake.base);
      assert.equal(created(s, system).length, 1);
      assert.equal(calls(s, system).length, 2);
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
    assert.throws(() => new crm.CrmSync('sugarcrm', decision), { code: 'invalid_crm', path: 'system' });
    assert.throws(() => crm.crmLookup('salesforce', 'not a number', 'phx-01'), { code: 'invalid_event' });
    assert.equal(crm.crmLookup('salesforce', '(602) 555-0143', 'phx-01').key, 'phone:+16025550143');
  } finally {
    fake.stop();
  }
});
