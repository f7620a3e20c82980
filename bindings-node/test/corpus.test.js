'use strict';
// The shared language-neutral corpus (tests/corpus/*.json), with exactly the semantics of
// core/tests/corpus.rs: `expect` is a partial decision (objects match on the keys given,
// arrays element by element and in full length), `expect_trace` entries must appear in the
// trace, `expect_error` gives `code` and optionally `path`.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { repo, ringback } = require('./helpers');

const corpusDir = path.join(repo, 'tests', 'corpus');

function deepEqual(a, b) {
  try {
    assert.deepStrictEqual(a, b);
    return true;
  } catch {
    return false;
  }
}

function isObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function partialMatch(expected, actual, where, errors) {
  if (isObject(expected) && isObject(actual)) {
    for (const [k, ev] of Object.entries(expected)) {
      if (Object.prototype.hasOwnProperty.call(actual, k)) {
        partialMatch(ev, actual[k], `${where}.${k}`, errors);
      } else if (ev === null || ev === false || (Array.isArray(ev) && ev.length === 0)) {
        // An optional field is left out when null, false or empty.
      } else {
        errors.push(`${where}.${k}: missing in decision`);
      }
    }
  } else if (Array.isArray(expected) && Array.isArray(actual)) {
    if (expected.length !== actual.length) {
      errors.push(
        `${where}: expected ${expected.length} element(s), got ${actual.length}: ${JSON.stringify(actual)}`,
      );
      return;
    }
    expected.forEach((ev, i) => partialMatch(ev, actual[i], `${where}[${i}]`, errors));
  } else if (!deepEqual(expected, actual)) {
    errors.push(`${where}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

function loadPolicy(c) {
  if (typeof c.policy === 'string') {
    return fs.readFileSync(path.join(corpusDir, 'policies', `${c.policy}.json`), 'utf8');
  }
  if (c.policy !== undefined) return JSON.stringify(c.policy);
  throw new Error('case has no policy');
}

function textOf(c, objKey, textKey) {
  if (typeof c[textKey] === 'string') return c[textKey];
  const v = c[objKey];
  return v !== undefined && v !== null ? JSON.stringify(v) : '';
}

const has = (o, k) => Object.prototype.hasOwnProperty.call(o, k);

/** A trace entry as an object: `"stage/rule=result"` (level `codes`) is read into its parts. */
function traceEntry(t) {
  if (typeof t !== 'string') return t;
  const slash = t.indexOf('/');
  const rest = slash < 0 ? t : t.slice(slash + 1);
  const eq = rest.indexOf('=');
  return {
    stage: slash < 0 ? '' : t.slice(0, slash),
    rule: eq < 0 ? rest : rest.slice(0, eq),
    result: eq < 0 ? '' : rest.slice(eq + 1),
  };
}

function traceMatches(want, t) {
  const fieldsMatch = ['stage', 'rule', 'result'].every(
    (k) => !has(want, k) || (has(t, k) && deepEqual(want[k], t[k])),
  );
  const contains =
    typeof want.detail_contains !== 'string' ||
    (typeof t.detail === 'string' ? t.detail : '').includes(want.detail_contains);
  return fieldsMatch && contains;
}

/** Runs one case; returns a list of problems (empty when it passes). */
function runCase(file) {
  const c = JSON.parse(fs.readFileSync(file, 'utf8'));
  const policyText = loadPolicy(c);
  const eventText = textOf(c, 'event', 'event_text');
  const crmText = textOf(c, 'crm', 'crm_text');
  let out;
  let err;
  try {
    const engine = new ringback.Engine(policyText);
    out = engine.processJson(eventText, crmText);
  } catch (e) {
    err = e;
  }
  if (c.expect_error !== undefined) {
    if (!err) return [`expected error ${JSON.stringify(c.expect_error)}, got decision ${out}`];
    const code = typeof c.expect_error.code === 'string' ? c.expect_error.code : '';
    if (err.code !== code) return [`expected error ${code}, got ${err.code}: ${err.message}`];
    if (typeof c.expect_error.path === 'string' && err.path !== c.expect_error.path) {
      return [`expected error path \`${c.expect_error.path}\`, got \`${err.path}\` (${err.message})`];
    }
    return [];
  }
  if (err) return [`unexpected error ${err.code}: ${err.message}`];
  const decision = JSON.parse(out);
  if (c.expect === undefined) return ['case has neither expect nor expect_error'];
  const errors = [];
  partialMatch(c.expect, decision, 'decision', errors);
  const trace = Array.isArray(decision.trace) ? decision.trace.map(traceEntry) : [];
  for (const want of Array.isArray(c.expect_trace) ? c.expect_trace : []) {
    if (!trace.some((t) => traceMatches(want, t))) {
      errors.push(`trace has no entry matching ${JSON.stringify(want)}`);
    }
  }
  // The object path must give the very same decision as the text path.
  if (typeof c.event_text !== 'string' && typeof c.crm_text !== 'string') {
    const engine = new ringback.Engine(policyText);
    const viaObjects = engine.process(c.event, c.crm ?? null);
    if (!deepEqual(viaObjects, decision)) errors.push('engine.process differs from processJson');
  }
  return errors;
}

const files = fs
  .readdirSync(corpusDir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => path.join(corpusDir, f));

test('the corpus has at least 30 cases', () => {
  assert.ok(files.length >= 30, `corpus has only ${files.length} cases`);
});

for (const file of files) {
  test(`corpus: ${path.basename(file, '.json')}`, () => {
    const problems = runCase(file);
    assert.deepEqual(problems, [], problems.join('\n  '));
  });
}

test('the partial matcher itself fails on a mismatch', () => {
  const errors = [];
  partialMatch({ a: 1, b: [1, 2], c: { d: 'x' } }, { a: 2, b: [1], c: {} }, 'decision', errors);
  assert.deepEqual(errors, [
    'decision.a: expected 1, got 2',
    'decision.b: expected 2 element(s), got 1: [1]',
    'decision.c.d: missing in decision',
  ]);
});
