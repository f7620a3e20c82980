'use strict';
// The typings: index.d.ts (napi-rs) + types.d.ts (from schema/) type-check a usage file
// under `tsc --strict` (decisions and events are spelled out, not `any`), and the
// hand-written types in scripts/extra-types.d.ts match what the engine really returns.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { ringback, PHOENIX_POLICY, phoenixEvent } = require('./helpers');

const pkg = path.join(__dirname, '..');
const typesText = fs.readFileSync(path.join(pkg, 'types.d.ts'), 'utf8');

test('tsc --strict accepts the usage file and its @ts-expect-error lines', () => {
  const tsc = require.resolve('typescript/bin/tsc');
  try {
    execFileSync(
      process.execPath,
      [tsc, '--strict', '--noEmit', '--target', 'es2022', '--module', 'commonjs', '--types', 'node', path.join(__dirname, 'ts', 'usage.ts')],
      { cwd: pkg, encoding: 'utf8', stdio: 'pipe' },
    );
  } catch (e) {
    assert.fail(`tsc failed:\n${e.stdout}${e.stderr}`);
  }
});

test('tsc rejects a misuse (the check is not vacuous)', () => {
  const bad = path.join(__dirname, 'ts', 'bad.generated.ts');
  fs.writeFileSync(bad, "import { Engine } from '../..'\nconst n: number = new Engine('').process('{}').status\n");
  try {
    const tsc = require.resolve('typescript/bin/tsc');
    assert.throws(() =>
      execFileSync(process.execPath, [tsc, '--strict', '--noEmit', '--types', 'node', bad], { cwd: pkg, stdio: 'pipe' }),
    );
  } finally {
    fs.unlinkSync(bad);
  }
});

/** Field names of `export interface NAME { ... }` in types.d.ts. */
function interfaceFields(name) {
  const m = typesText.match(new RegExp(`export interface ${name} \\{([\\s\\S]*?)\\n\\}`));
  assert.ok(m, `interface ${name} not found`);
  return [...m[1].matchAll(/^\s{2}(\w+)\??:/gm)].map((x) => x[1]).sort();
}

/** String literals of `export type NAME = 'a' | 'b'`. */
function unionLiterals(name) {
  const m = typesText.match(new RegExp(`export type ${name} =([\\s\\S]*?);`));
  assert.ok(m, `type ${name} not found`);
  return [...m[1].matchAll(/'([a-z_]+)'/g)].map((x) => x[1]);
}

test('ErrorCode and Vendor unions match the engine', () => {
  assert.deepEqual(unionLiterals('ErrorCode'), ringback.errorCodes());
  assert.deepEqual(unionLiterals('Vendor'), ringback.ingest.vendors());
});

test('AttributionEvent and OutcomeResult fields match recordOutcome output', () => {
  const engine = new ringback.Engine(PHOENIX_POLICY);
  const d = engine.process(phoenixEvent({ event_id: 'T1', attribution: { source: 'google', gclid: 'abc' } }));
  const r = engine.recordOutcome(d, { event_id: 'T1', kind: 'converted', at: '2026-11-24T10:00:00-07:00', channel: 'sms' });
  assert.deepEqual(Object.keys(r).sort(), interfaceFields('OutcomeResult'));
  const declared = interfaceFields('AttributionEvent');
  for (const k of Object.keys(r.attribution)) assert.ok(declared.includes(k), `AttributionEvent lacks ${k}`);
  // Required (non-optional) fields are always present.
  const required = [...typesText.match(/export interface AttributionEvent \{([\s\S]*?)\n\}/)[1].matchAll(/^\s{2}(\w+):/gm)].map((x) => x[1]);
  for (const k of required) assert.ok(k in r.attribution, `attribution has no ${k}`);
});

test('TickAction variants match tick output', () => {
  const engine = new ringback.Engine(PHOENIX_POLICY);
  const f = { id: 'F', created_at: '2026-11-24T16:00:00Z', due_at: '2026-11-24T16:30:00Z' };
  const seen = {
    nothing: engine.tick(f, '2026-11-24T16:00:00Z'),
    escalate: engine.tick(f, '2026-11-27T16:00:00Z'),
    breached: engine.tick({ ...f, tier: 3 }, '2026-11-27T16:00:00Z'),
  };
  const decl = typesText.match(/export type TickAction =([\s\S]*?);\n/)[1];
  for (const [action, value] of Object.entries(seen)) {
    assert.equal(value.action, action);
    const variant = decl.split('|').find((v) => v.includes(`'${action}'`));
    assert.ok(variant, `TickAction has no ${action}`);
    const keys = [...variant.matchAll(/(\w+):/g)].map((x) => x[1]).sort();
    assert.deepEqual(Object.keys(value).sort(), keys, action);
  }
});

test('Outcome fields match the core (unknown fields are rejected, declared ones accepted)', () => {
  const engine = new ringback.Engine(PHOENIX_POLICY);
  const d = engine.process(phoenixEvent({ event_id: 'T2' }));
  const full = {
    event_id: 'T2',
    kind: 'converted',
    at: '2026-11-24T10:00:00-07:00',
    channel: 'voice',
    step: 'callback',
    responded_at: '2026-11-24T09:20:00-07:00',
    value: 100,
    inquiry_type: null,
  };
  assert.deepEqual(Object.keys(full).sort(), interfaceFields('Outcome'));
  assert.doesNotThrow(() => engine.recordOutcome(d, full));
  assert.throws(() => engine.recordOutcome(d, { ...full, nope: 1 }), (e) => e.code !== 'internal' && e.path.includes('nope'));
});
