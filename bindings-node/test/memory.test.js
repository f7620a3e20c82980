'use strict';
// A 1,000,000-call loop must not grow the process: RSS after a warm-up and after the loop
// are compared (with `global.gc()`; run with `node --expose-gc --test`).
const test = require('node:test');
const assert = require('node:assert/strict');
const { ringback, demoWeek } = require('./helpers');

const CALLS = 1_000_000;
const WARMUP = 200_000;
// Measured: RSS settles at about +5 MB over the first 1.5M calls and then stays flat
// (probed to 3M calls); 16 MB over the 800,000 measured calls would be a leak of about 20
// bytes per call, far below any lost decision string (~8.5 KB) or napi reference.
const TOLERANCE_MB = 16;

function settle() {
  for (let i = 0; i < 3; i++) global.gc();
  return process.memoryUsage().rss / 1024 / 1024;
}

test(`RSS does not grow over ${CALLS.toLocaleString('en-US')} calls`, { timeout: 600_000 }, () => {
  assert.equal(typeof global.gc, 'function', 'run with --expose-gc');
  const { policy, crm, events } = demoWeek();
  const engine = new ringback.Engine(policy);
  const index = engine.index(crm);
  const objects = events.slice(0, 50).map((l) => JSON.parse(l));
  const bad = { ...objects[0], occurred_at: 'not a time' };
  let decided = 0;
  let thrown = 0;
  // Every path that crosses the boundary: objects in/out, text in/out, the CRM index,
  // and thrown errors.
  const call = (i) => {
    switch (i % 10) {
      case 0:
        try {
          engine.process(bad, index);
        } catch (e) {
          if (e.code === 'invalid_timestamp') thrown++;
        }
        return;
      case 1:
      case 2:
        decided += engine.processJson(events[i % events.length], index).length > 0 ? 1 : 0;
        return;
      default:
        decided += engine.process(objects[i % objects.length], index).event_id ? 1 : 0;
    }
  };
  for (let i = 0; i < WARMUP; i++) call(i);
  const warm = settle();
  for (let i = WARMUP; i < CALLS; i++) call(i);
  const end = settle();
  assert.equal(decided + thrown, CALLS);
  assert.equal(thrown, CALLS / 10);
  console.log(`# rss after warm-up ${warm.toFixed(1)} MB, after ${CALLS} calls ${end.toFixed(1)} MB`);
  assert.ok(end - warm < TOLERANCE_MB, `RSS grew ${(end - warm).toFixed(1)} MB (from ${warm.toFixed(1)} to ${end.toFixed(1)})`);
});
