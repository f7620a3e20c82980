#!/usr/bin/env node
'use strict';
// Side-by-side cost per call from Node (one run, same inputs: the demo week):
//   engine.processJson(text, crmIndex)   whole decision, JSON text in and out
//   engine.process(object, crmIndex)     whole decision, plain objects in and out
//   libphonenumber-js parse + isValid + format('E.164') of the same caller numbers
//   (plus, for context: the CRM as JSON on every call, and the two batch calls)
// and the same three on a one-location day (phx-01, Tuesday 2026-11-24: 12 calls) with the
// CRM passed as an object on every call (the location's contacts and those on the day's
// numbers, with the suppression lists), as a webhook handler does.
// Target (issue 9): a whole ringback decision costs no more than that one phone step.
//
//   node benches/node_bench.js [--rounds N] [--json]
// Needs the release addon (make -f Makefile test-node, or `npm run build` in bindings-node).
const path = require('node:path');
const fs = require('node:fs');
const { createRequire } = require('node:module');

const root = path.join(__dirname, '..');
const pkgRequire = createRequire(path.join(root, 'bindings-node', 'package.json'));
const ringback = pkgRequire('./index.js');
const { parsePhoneNumberFromString } = pkgRequire('libphonenumber-js');

const args = process.argv.slice(2);
const rounds = Number(args[args.indexOf('--rounds') + 1]) || 7;

const read = (f) => fs.readFileSync(path.join(root, 'demo', f), 'utf8');
const policy = read('policy.json');
const crm = read('crm.json');
const lines = read('events.jsonl').split('\n').filter((l) => l.trim() !== '');
const objects = lines.map((l) => JSON.parse(l));
const numbers = objects.map((e) => e.caller_number ?? '');

const engine = new ringback.Engine(policy);
const index = engine.index(crm);

/** The last ten digits of a number as typed (or of a `{number, type}` phone). */
const digits = (p) => String((p && typeof p === 'object' ? p.number : p) ?? '').replace(/\D/g, '').slice(-10);
const crmAll = JSON.parse(crm);
const day = objects.filter((e) => e.location_id === 'phx-01' && e.occurred_at.startsWith('2026-11-24'));
const dayCallers = new Set(day.map((e) => digits(e.caller_number)));
const dayCrm = {
  contacts: crmAll.contacts.filter(
    (c) => c.location_id === 'phx-01' || c.phones.some((p) => dayCallers.has(digits(p))),
  ),
  suppressions: crmAll.suppressions,
};
const dayLines = day.map((e) => JSON.stringify(e));
const dayCrmText = JSON.stringify(dayCrm);
if (day.length !== 12) throw new Error(`expected 12 calls on the day, got ${day.length}`);
const dayNumbers = day.map((e) => e.caller_number ?? '');

/** Median µs per call of `fn(i)` over `rounds` rounds of `perRound` calls. */
function measure(fn, perRound) {
  for (let i = 0; i < perRound; i++) fn(i); // warm-up
  const samples = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < perRound; i++) fn(i);
    samples.push(Number(process.hrtime.bigint() - t0) / 1e3 / perRound);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

let sink = 0;
const n = lines.length;
const perRound = n * 20;
const m = day.length;
const results = {
  'day: engine.process (object, CRM object)': measure((i) => {
    sink += engine.process(day[i % m], dayCrm).trace.length;
  }, m * 200),
  'day: engine.processJson (text, CRM text)': measure((i) => {
    sink += engine.processJson(dayLines[i % m], dayCrmText).length;
  }, m * 200),
  'day: libphonenumber-js parse+isValid+format': measure((i) => {
    const p = parsePhoneNumberFromString(dayNumbers[i % m], 'US');
    sink += p && p.isValid() ? p.format('E.164').length : 0;
  }, m * 200),
  'engine.processJson (CrmIndex)': measure((i) => {
    sink += engine.processJson(lines[i % n], index).length;
  }, perRound),
  'engine.process (CrmIndex)': measure((i) => {
    sink += engine.process(objects[i % n], index).trace.length;
  }, perRound),
  'engine.processJson (CRM JSON per call, 133 KB)': measure((i) => {
    sink += engine.processJson(lines[i % n], crm).length;
  }, n * 2),
  'libphonenumber-js parse+isValid+format': measure((i) => {
    const p = parsePhoneNumberFromString(numbers[i % n], 'US');
    sink += p && p.isValid() ? p.format('E.164').length : 0;
  }, perRound),
};

// Batch throughput (worker threads).
const batch = [];
for (let i = 0; i < 10_000; i++) batch.push(objects[i % n]);
async function batchRate() {
  await engine.processMany(batch.slice(0, 1000), index);
  const t0 = process.hrtime.bigint();
  const out = await engine.processMany(batch, index);
  sink += out.length;
  const objectsUs = Number(process.hrtime.bigint() - t0) / 1e3 / batch.length;
  sink += (await engine.processManyJson(batch.slice(0, 1000), index)).length; // warm-up
  const t2 = process.hrtime.bigint();
  sink += (await engine.processManyJson(batch, index)).length;
  const textUs = Number(process.hrtime.bigint() - t2) / 1e3 / batch.length;
  return [objectsUs, textUs];
}

batchRate().then(([manyUs, manyJsonUs]) => {
  results['engine.processMany, 10,000 events (per event)'] = manyUs;
  results['engine.processManyJson, 10,000 events (per event)'] = manyJsonUs;
  const phone = results['libphonenumber-js parse+isValid+format'];
  if (args.includes('--json')) {
    console.log(JSON.stringify({ us_per_call: results, events: n, rounds, node: process.version }, null, 2));
  } else {
    console.log(`ringback ${ringback.version}, Node ${process.version}, ${n} demo events, median of ${rounds} rounds`);
    const dayPhone = results['day: libphonenumber-js parse+isValid+format'];
    for (const [name, us] of Object.entries(results)) {
      const ref = name.startsWith('day:') ? dayPhone : phone;
      console.log(`${name.padEnd(50)} ${us.toFixed(2).padStart(8)} µs/call  ${(us / ref).toFixed(2)}× phone step`);
    }
  }
  if (sink === 0) process.exit(2);
});
