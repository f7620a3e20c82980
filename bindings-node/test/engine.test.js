'use strict';
// The JavaScript API: conversions, CrmIndex, processMany, recordOutcome, tick.
const test = require('node:test');
const assert = require('node:assert/strict');
const { ringback, demoWeek, PHOENIX_POLICY, phoenixEvent } = require('./helpers');

const { Engine, CrmIndex } = ringback;

test('version, defaultPolicy and policyVersion', () => {
  assert.match(ringback.version, /^\d+\.\d+\.\d+/);
  const engine = new Engine(PHOENIX_POLICY);
  assert.equal(engine.policyVersion, '2026-11-a');
  const d = engine.process(phoenixEvent());
  assert.equal(d.engine_version, ringback.version);
  assert.equal(d.policy_version, '2026-11-a');
  const def = ringback.defaultPolicy();
  assert.equal(typeof def, 'object');
  assert.ok(def.defaults && typeof def.defaults === 'object', 'default policy has defaults');
  // The default policy plus one location is a working policy.
  const withLoc = new Engine({ ...def, locations: PHOENIX_POLICY.locations });
  assert.equal(withLoc.process(phoenixEvent()).status, 'follow_up');
});

test('the README decision: Phoenix no-answer becomes a new lead to follow up', () => {
  const engine = new Engine(PHOENIX_POLICY);
  const d = engine.process(phoenixEvent());
  assert.equal(d.status, 'follow_up');
  assert.equal(d.caller.e164, '+16025550143');
  assert.equal(d.record.action, 'create_lead');
  assert.equal(d.record.upsert_key, 'phone:+16025550143');
});

test('policy as object, JSON string, Buffer and TOML give the same engine', () => {
  const a = new Engine(PHOENIX_POLICY).processJson(JSON.stringify(phoenixEvent()));
  const b = new Engine(JSON.stringify(PHOENIX_POLICY)).processJson(JSON.stringify(phoenixEvent()));
  const c = new Engine(Buffer.from(JSON.stringify(PHOENIX_POLICY))).processJson(JSON.stringify(phoenixEvent()));
  const toml = `version = "2026-11-a"
[[locations]]
id = "phx-01"
name = "Phoenix Camelback"
vertical = "home_services"
time_zone = "America/Phoenix"
country = "US"
state = "AZ"
phone = "+16025550100"
holidays = ["2026-11-26"]
avg_inquiry_value = 250
currency = "USD"
on_call = true
[locations.hours]
mon = [["07:00", "18:00"]]
tue = [["07:00", "18:00"]]
wed = [["07:00", "18:00"]]
thu = [["07:00", "18:00"]]
fri = [["07:00", "18:00"]]
sat = [["08:00", "14:00"]]
`;
  const d = new Engine(toml).processJson(JSON.stringify(phoenixEvent()));
  assert.equal(a, b);
  assert.equal(a, c);
  assert.equal(a, d);
});

test('process, processJson and string events agree; Date values are accepted', () => {
  const engine = new Engine(PHOENIX_POLICY);
  const ev = phoenixEvent({ occurred_at: '2026-11-24T16:15:00Z', received_at: '2026-11-24T16:16:30Z' });
  const viaText = JSON.parse(engine.processJson(JSON.stringify(ev)));
  assert.deepEqual(engine.process(ev), viaText);
  assert.deepEqual(engine.process(JSON.stringify(ev)), viaText);
  const withDates = {
    ...ev,
    occurred_at: new Date('2026-11-24T16:15:00Z'),
    received_at: new Date('2026-11-24T16:16:30Z'),
  };
  const d = engine.process(withDates);
  // Same instant, so the same decision apart from the textual echo of the timestamps.
  assert.equal(d.status, viaText.status);
  assert.equal(d.category, viaText.category);
  assert.equal(d.sla?.due_at, viaText.sla?.due_at);
  assert.deepEqual(d.follow_up, viaText.follow_up);
  // 09:15 in Phoenix on a Tuesday is open: not after hours.
  assert.equal(d.after_hours, false);
  // undefined fields are dropped like JSON.stringify does, not rejected.
  assert.equal(engine.process({ ...ev, caller_name: undefined }).event_id, 'CAL123');
});

test('CrmIndex gives the same decisions as the snapshot', () => {
  const { policy, crm, events } = demoWeek();
  const engine = new Engine(policy);
  const index = new CrmIndex(engine, JSON.parse(crm));
  const index2 = engine.index(crm);
  assert.ok(index.size > 0);
  assert.equal(index.size, index2.size);
  assert.equal(index.size, JSON.parse(crm).contacts.length);
  let appended = 0;
  for (const line of events.slice(0, 120)) {
    const want = engine.processJson(line, crm);
    assert.equal(engine.processJson(line, index), want);
    assert.deepEqual(engine.process(JSON.parse(line), index), JSON.parse(want));
    if (JSON.parse(want).record.action.startsWith('append_to')) appended++;
  }
  assert.ok(appended > 0, 'some demo calls match existing contacts');
});

test('processMany: 10,000 events off the main thread, same as one by one', async () => {
  const { policy, crm, events } = demoWeek();
  const engine = new Engine(policy);
  const index = engine.index(crm);
  const batch = [];
  for (let i = 0; i < 10_000; i++) {
    const ev = JSON.parse(events[i % events.length]);
    ev.event_id = `${ev.event_id}-${i}`;
    batch.push(ev);
  }
  let mainThreadRan = false;
  setImmediate(() => {
    mainThreadRan = true;
  });
  const started = process.hrtime.bigint();
  const pending = engine.processMany(batch, index);
  const returnedAfterMs = Number(process.hrtime.bigint() - started) / 1e6;
  assert.ok(pending instanceof Promise);
  const decisions = await pending;
  const totalMs = Number(process.hrtime.bigint() - started) / 1e6;
  assert.ok(mainThreadRan, 'the event loop ran while the batch was computed');
  assert.ok(returnedAfterMs < totalMs, `returned after ${returnedAfterMs} ms of ${totalMs} ms`);
  assert.equal(decisions.length, 10_000);
  for (let i = 0; i < batch.length; i++) {
    assert.equal(decisions[i].event_id, batch[i].event_id);
    assert.deepEqual(decisions[i], JSON.parse(engine.processJson(JSON.stringify(batch[i]), index)));
  }
  // A snapshot object as crm, and JSON-text events, give the same decisions.
  const again = await engine.processMany(batch.slice(0, 300).map((e) => JSON.stringify(e)), JSON.parse(crm));
  assert.deepEqual(again, decisions.slice(0, 300));
  assert.deepEqual(await engine.processMany([]), []);
  // processManyJson: the same decisions as JSON text.
  const texts = await engine.processManyJson(batch.slice(0, 500), index);
  assert.equal(texts.length, 500);
  texts.forEach((t, i) => assert.equal(t, engine.processJson(JSON.stringify(batch[i]), index)));
  await assert.rejects(engine.processManyJson([batch[0], { ...batch[1], disposition: 'maybe' }], index), {
    code: 'invalid_event',
    path: '[1].disposition',
    index: 1,
  });
});

test('processManySettled: a bad event keeps its place as an Error, every other event is decided', async () => {
  const engine = new Engine(PHOENIX_POLICY);
  const good = phoenixEvent();
  const batch = [
    ...Array(100).fill(good),
    { ...good, location_id: 'nowhere' },
    '{truncated',
    { ...good, occurred_at: 'yesterday' },
    ...Array(100).fill(good),
  ];
  const out = await engine.processManySettled(batch);
  assert.equal(out.length, batch.length);
  const expected = engine.process(good);
  out.slice(0, 100).concat(out.slice(103)).forEach((d) => assert.deepEqual(d, expected));
  assert.ok(out[100] instanceof Error);
  assert.equal(out[100].code, 'unknown_location');
  assert.equal(out[100].path, '[100].location_id');
  assert.equal(out[100].index, 100);
  assert.equal(out[101].code, 'invalid_json');
  assert.equal(out[101].index, 101);
  assert.ok(out[101].path.startsWith('[101]'));
  assert.equal(out[102].code, 'invalid_timestamp');
  assert.equal(out[102].path, '[102].occurred_at');
  // A bad CRM concerns every event: the promise rejects.
  await assert.rejects(engine.processManySettled([good], '{"contacts": 5}'), { code: 'invalid_crm' });
});

test('recordOutcome: attribution and learning state round trip', () => {
  const engine = new Engine(PHOENIX_POLICY);
  const d = engine.process(phoenixEvent({ event_id: 'OUT1' }));
  const first = engine.recordOutcome(d, {
    event_id: 'OUT1',
    kind: 'converted',
    at: '2026-11-24T10:05:00-07:00',
    value: 420,
  });
  assert.equal(first.attribution.event_id, 'OUT1');
  assert.equal(first.attribution.outcome, 'converted');
  assert.equal(first.attribution.recovered_value, 420);
  assert.equal(first.attribution.location_id, 'phx-01');
  assert.equal(typeof first.learning, 'object');
  // The learning state goes back in as returned; a decision JSON string works too.
  const second = engine.recordOutcome(JSON.stringify(d), { event_id: 'OUT1', kind: 'engaged', at: new Date('2026-11-24T17:30:00Z') }, first.learning);
  assert.equal(second.attribution.outcome, 'engaged');
  assert.notDeepEqual(second.learning, {});
  // An outcome for another event is a coded error with a path.
  assert.throws(
    () => engine.recordOutcome(d, { event_id: 'OTHER', kind: 'engaged', at: '2026-11-24T10:05:00-07:00' }),
    (e) => ringback.errorCodes().includes(e.code) && e.code !== 'internal',
  );
});

test('tick: nothing, escalate, breached; Date or string now', () => {
  const engine = new Engine(PHOENIX_POLICY);
  const f = { id: 'F1', created_at: '2026-11-24T16:00:00Z', due_at: '2026-11-24T16:30:00Z', location_id: 'phx-01' };
  const before = engine.tick(f, new Date('2026-11-24T16:10:00Z'));
  assert.equal(before.action, 'nothing');
  assert.equal(before.next_at, '2026-11-24T16:30:00Z');
  assert.deepEqual(engine.tick(f, '2026-11-24T16:10:00Z'), before);
  const late = engine.tick(f, new Date('2026-11-26T16:10:00Z'));
  assert.equal(late.action, 'escalate');
  assert.ok(late.tier > 1);
  const atTier = engine.tick({ ...f, tier: 3 }, '2026-11-26T16:10:00Z');
  assert.equal(atTier.action, 'breached');
  assert.equal(atTier.overdue_minutes, 2 * 24 * 60 - 20);
});

test('explain puts a lean decision into words, for the same inputs only', () => {
  const week = demoWeek();
  const engine = new Engine(week.policy);
  const index = new CrmIndex(engine, week.crm);
  const line = week.events[0];
  const d = engine.process(line, index);
  assert.ok(d.trace.length > 0 && d.trace.every((t) => typeof t === 'string' && t.includes('/')), 'codes by default');
  const full = engine.explain(line, index, d.decision_id);
  assert.equal(full.decision_id, d.decision_id);
  // Every code is a rule of the full trace, in order; the full trace has more (the rules a
  // decision field states) and every entry has words.
  const words = full.trace.map((t) => `${t.stage}/${t.rule}=${t.result}`);
  let at = 0;
  for (const code of d.trace) {
    at = words.indexOf(code, at) + 1;
    assert.ok(at > 0, `${code} in ${words}`);
  }
  assert.ok(words.length > d.trace.length);
  assert.ok(full.trace.every((t) => typeof t.detail === 'string'));
  assert.deepEqual(engine.explain(line, week.crm).trace, full.trace, 'snapshot text and index agree');
  const other = { ...JSON.parse(line), caller_number: '+16025550199' };
  assert.throws(() => engine.explain(other, index, d.decision_id), { code: 'invalid_event', path: 'decision_id' });
});

test('the same CRM snapshot is reused, and a changed one is not', () => {
  // A webhook handler passes the same CRM object call after call: the engine reuses its
  // index (issue 17) and must answer exactly as a fresh engine when the object changes.
  const week = demoWeek();
  const engine = new Engine(week.policy);
  const fresh = (event, crm) => JSON.parse(new Engine(week.policy).processJson(event, JSON.stringify(crm)));
  const crm = JSON.parse(week.crm);
  const matched = week.events
    .filter((l) => ['append_to_customer', 'append_to_lead'].includes(engine.process(l, crm).record.action))
    .slice(0, 5);
  assert.ok(matched.length > 0);
  for (const line of matched) {
    assert.deepEqual(engine.process(line, crm), fresh(line, crm));
    const id = engine.process(line, crm).record.contact_id;
    const removed = crm.contacts.filter((c) => c.id === id);
    crm.contacts = crm.contacts.filter((c) => c.id !== id);
    const without = engine.process(line, crm);
    assert.notEqual(without.record.contact_id, id);
    assert.deepEqual(without, fresh(line, crm));
    crm.contacts.push(...removed);
    assert.equal(engine.process(line, crm).record.contact_id, id);
  }
});

test('bucket is FNV-1a 64 of the UTF-8 key modulo the bucket count, as in every binding', () => {
  const fnv = (key) => {
    let h = 0xcbf29ce484222325n;
    for (const b of Buffer.from(key, 'utf8')) h = ((h ^ BigInt(b)) * 0x100000001b3n) & 0xffffffffffffffffn;
    return h;
  };
  assert.equal(fnv('a'), 0xaf63dc4c8601ec8cn);
  for (const key of ['', 'a', '+16025550143', 'CAL-8154', 'Ünïcode', 'x'.repeat(300)]) {
    for (const n of [1, 7, 64, 1000]) {
      assert.equal(ringback.bucket(key, n), Number(fnv(key) % BigInt(n)), `${key} ${n}`);
    }
  }
  assert.equal(ringback.bucket('a', 0), 0);
});
