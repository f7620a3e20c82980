'use strict';
// The JavaScript code blocks of bindings-node/README.md and of the repository README run as
// written (with `require('ringback')` resolved to this package).
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const pkg = path.join(__dirname, '..');
const readmes = [path.join(pkg, 'README.md'), path.join(pkg, '..', 'README.md')];

function blocks() {
  const out = [];
  for (const file of readmes) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/```js\n([\s\S]*?)```/g)) out.push({ file, code: m[1] });
  }
  return out;
}

test('both READMEs have JavaScript examples', () => {
  const files = new Set(blocks().map((b) => b.file));
  assert.equal(files.size, 2);
});

for (const [i, { file, code }] of blocks().entries()) {
  test(`${path.relative(path.join(pkg, '..'), file)} block ${i} runs`, () => {
    const logged = [];
    const fakeConsole = { log: (...args) => logged.push(args.join(' ')) };
    const localRequire = (name) => require(name === 'ringback' ? pkg : name);
    // eslint-disable-next-line no-new-func
    new Function('require', 'console', code)(localRequire, fakeConsole);
    if (code.includes('console.log(')) assert.ok(logged.length > 0 && logged.every((l) => l.length > 0));
  });
}
