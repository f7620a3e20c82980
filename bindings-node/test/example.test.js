'use strict';
// The example webhook server in examples/node/ receives a Twilio form-encoded Dial action
// and an Aircall JSON webhook and answers with decisions.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { repo } = require('./helpers');

const { createServer, post } = require(path.join(repo, 'examples', 'node', 'server.js'));
const sample = (f) => fs.readFileSync(path.join(repo, 'examples', 'node', 'samples', f), 'utf8');

test('example server: Twilio Dial action and Aircall webhook become decisions', async () => {
  const decisions = [];
  const server = createServer({
    now: () => new Date('2026-11-24T16:15:30Z'),
    onDecision: (d, vendor) => decisions.push({ vendor, d }),
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  try {
    const tw = await post(port, '/webhooks/twilio/dial-action', sample('twilio-dial-action-no-answer.txt'), 'application/x-www-form-urlencoded');
    assert.equal(tw.status, 200, tw.body);
    assert.match(tw.headers['content-type'], /xml/);
    assert.match(tw.body, /<Response><Say>Sorry we missed you/);
    assert.equal(tw.headers['x-ringback-ingested'], 'event');

    const ac = await post(port, '/webhooks/aircall', sample('aircall-call-ended-missed-voicemail.json'), 'application/json');
    assert.equal(ac.status, 200, ac.body);
    const acBody = JSON.parse(ac.body);

    assert.equal(decisions.length, 2);
    const [twd, acd] = decisions;
    assert.equal(twd.vendor, 'twilio');
    assert.equal(twd.d.event_id, 'CA4b2c80691a3b7059f44c09530901f525');
    assert.equal(twd.d.caller.e164, '+17722065315');
    assert.equal(twd.d.record.action, 'create_lead');
    assert.equal(tw.headers['x-ringback-status'], twd.d.status);
    assert.equal(tw.headers['x-ringback-decision'], twd.d.decision_id);

    assert.equal(acd.vendor, 'aircall');
    assert.equal(acd.d.caller.e164, '+443308186690');
    assert.equal(acd.d.left_voicemail, true);
    // The caller is the example CRM's customer crm-4711 (looked up through a CrmIndex).
    assert.equal(acd.d.record.action, 'append_to_customer');
    assert.equal(acd.d.record.contact_id, 'crm-4711');
    assert.deepEqual(acBody, { ingested: 'event', decision_id: acd.d.decision_id, status: acd.d.status, record: 'append_to_customer' });

    // A broken body is a 4xx with the ringback error code, and the server keeps serving.
    const bad = await post(port, '/webhooks/aircall', '{"resource":"call","data":{}}', 'application/json');
    assert.equal(bad.status, 422, bad.body);
    assert.ok(JSON.parse(bad.body).error);
    const again = await post(port, '/webhooks/aircall', sample('aircall-call-ended-missed-voicemail.json'), 'application/json');
    assert.equal(again.status, 200);
  } finally {
    server.close();
  }
});
