'use strict';
// Every core error code reaches JavaScript as an Error with `.code` and `.path`, and no
// panic aborts the process.
const test = require('node:test');
const assert = require('node:assert/strict');
const { ringback, PHOENIX_POLICY, phoenixEvent } = require('./helpers');

const { Engine, CrmIndex, ingest } = ringback;
const engine = new Engine(PHOENIX_POLICY);

/** One input per code that makes the engine throw it, with the path it must name. */
const TRIGGERS = {
  invalid_json: [() => engine.processJson('{"event_id": "x",', ''), ''],
  invalid_event: [() => engine.process(phoenixEvent({ evnt_typo: 1 })), 'evnt_typo'],
  invalid_crm: [
    () => engine.process(phoenixEvent(), { contacts: [{ id: 'c1', kind: 'friend' }] }),
    'contacts[0].kind',
  ],
  invalid_policy: [
    () => new Engine({ ...PHOENIX_POLICY, locations: [{ ...PHOENIX_POLICY.locations[0], colour: 'red' }] }),
    'locations[0].colour',
  ],
  unknown_location: [() => engine.process(phoenixEvent({ location_id: 'nowhere' })), 'location_id'],
  invalid_timestamp: [() => engine.process(phoenixEvent({ occurred_at: 'yesterday' })), 'occurred_at'],
  invalid_time_zone: [
    () =>
      new Engine({
        ...PHOENIX_POLICY,
        locations: [{ ...PHOENIX_POLICY.locations[0], time_zone: 'Mars/Olympus_Mons' }],
      }),
    'locations[0].time_zone',
  ],
  unsupported_payload: [() => ingest.parse('no-such-vendor', '{}'), ''],
  internal: [() => ringback.__panicForTests(), ''],
};

test('errorCodes() lists the core codes, and every one has a trigger here', () => {
  assert.deepEqual(ringback.errorCodes(), [
    'invalid_json',
    'invalid_event',
    'invalid_crm',
    'invalid_policy',
    'unknown_location',
    'invalid_timestamp',
    'invalid_time_zone',
    'unsupported_payload',
    'internal',
  ]);
  assert.deepEqual(Object.keys(TRIGGERS).sort(), [...ringback.errorCodes()].sort());
});

for (const code of ringback.errorCodes()) {
  test(`error code ${code}: thrown as an Error with .code and .path`, () => {
    const [trigger, wantPath] = TRIGGERS[code];
    let caught;
    try {
      trigger();
    } catch (e) {
      caught = e;
    }
    assert.ok(caught instanceof Error, `${code}: nothing thrown`);
    assert.equal(caught.code, code, caught.message);
    assert.equal(caught.path, wantPath, caught.message);
    assert.ok(caught.message.startsWith(`${code}: `), caught.message);
    if (wantPath) assert.ok(caught.message.includes(`at ${wantPath}: `), caught.message);
  });
}

test('a panic in a synchronous call is a thrown `internal` error and Node keeps running', () => {
  for (let i = 0; i < 3; i++) {
    assert.throws(() => ringback.__panicForTests(), (e) => {
      assert.equal(e.code, 'internal');
      assert.match(e.message, /panicked: forced panic \(test-only export\)/);
      return true;
    });
  }
  // The engine still works afterwards.
  assert.equal(engine.process(phoenixEvent()).status, 'follow_up');
});

test('a panic inside an async task compute rejects the promise with `internal`', async () => {
  await assert.rejects(ringback.__panicAsyncForTests(), (e) => {
    assert.ok(e instanceof Error);
    assert.equal(e.code, 'internal');
    assert.equal(e.path, '');
    assert.match(e.message, /forced panic in compute/);
    return true;
  });
  const [d] = await engine.processMany([phoenixEvent()]);
  assert.equal(d.event_id, 'CAL123');
});

test('processMany rejects with the failing index in .index and .path', async () => {
  const events = [phoenixEvent({ event_id: 'a' }), phoenixEvent({ event_id: 'b' }), phoenixEvent({ event_id: 'c', occurred_at: 'soon' })];
  await assert.rejects(engine.processMany(events), (e) => {
    assert.equal(e.code, 'invalid_timestamp');
    assert.equal(e.path, '[2].occurred_at');
    assert.equal(e.index, 2);
    return true;
  });
  // An argument that cannot be converted rejects too (not a synchronous throw).
  const p = engine.processMany([phoenixEvent(), 42]);
  assert.ok(p instanceof Promise);
  await assert.rejects(p, (e) => e.code === 'invalid_event' && e.path === '[1]' && e.index === 1);
});

test('arguments of the wrong JavaScript type get coded errors', () => {
  assert.throws(() => engine.process(42), { code: 'invalid_event', path: '' });
  assert.throws(() => engine.process(undefined), { code: 'invalid_event' });
  assert.throws(() => engine.process(phoenixEvent(), 7), { code: 'invalid_crm' });
  assert.throws(() => new Engine(true), { code: 'invalid_policy' });
  assert.throws(() => new Engine(null), { code: 'invalid_policy' });
  assert.throws(() => new CrmIndex(engine, 3), { code: 'invalid_crm' });
  assert.throws(() => engine.tick({ id: 'f', created_at: '2026-11-24T09:00:00Z' }, 12), {
    code: 'invalid_timestamp',
    path: 'now',
  });
  assert.throws(() => engine.tick({ id: 'f', created_at: '2026-11-24T09:00:00Z' }, new Date(NaN)), {
    code: 'invalid_timestamp',
  });
  assert.throws(() => ingest.callrail(12), { code: 'unsupported_payload' });
});

test('values with no JSON form are invalid_json, not a crash', () => {
  const cyclic = phoenixEvent();
  cyclic.self = cyclic;
  assert.throws(() => engine.process(cyclic), { code: 'invalid_json', path: '' });
  assert.throws(() => engine.process(phoenixEvent({ ring_seconds: 10n })), { code: 'invalid_json' });
  const throwing = { toJSON() { throw new Error('boom'); } };
  assert.throws(() => engine.process(throwing), (e) => e.code === 'invalid_json' && /boom/.test(e.message));
  assert.throws(() => engine.process(Buffer.from([0xff, 0xfe])), { code: 'invalid_json' });
});

test('hostile inputs never crash: deep nesting, huge strings, odd types', () => {
  const deep = '['.repeat(100000) + ']'.repeat(100000);
  assert.throws(() => engine.processJson(deep), (e) => ringback.errorCodes().includes(e.code));
  const huge = phoenixEvent({ caller_name: 'x'.repeat(5_000_000) });
  assert.doesNotThrow(() => engine.process(huge));
  for (const bad of [Symbol('s'), () => 1, [], [1, 2], new Map(), NaN]) {
    assert.throws(() => engine.process(bad), (e) => ringback.errorCodes().includes(e.code));
  }
});
