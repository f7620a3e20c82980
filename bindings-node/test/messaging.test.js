'use strict';
// ringback/messaging over real HTTP: a decision's texts sent through the Twilio fake
// (tests/crm-fake); each text once, a STOP at Twilio written back so that no later
// decision texts the number.
const test = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const path = require('node:path');
const readline = require('node:readline');

const ringback = require('..');
const messaging = require('../messaging');
const { PHOENIX_POLICY } = require('./helpers');

const FAKE = process.env.RINGBACK_CRM_FAKE || path.join(__dirname, '..', '..', 'target', 'debug', 'crm-fake');
const ACCOUNT = 'AC00000000000000000000000000000001';
const CONFIG = { account_sid: ACCOUNT, from: '+16025550100' };
const headers = { Authorization: 'Basic ' + Buffer.from(`${ACCOUNT}:fake-token`).toString('base64') };

async function startFake() {
  const proc = spawn(FAKE, [], { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise((resolve) => readline.createInterface({ input: proc.stdout }).once('line', resolve));
  return { base: line.replace('listening on ', ''), stop: () => proc.stdin.end() };
}

const config = (base, body) => fetch(`${base}/__fake/config`, { method: 'POST', body: JSON.stringify(body) });
const messages = async (base) => (await (await fetch(`${base}/__fake/state`)).json()).twilio;
const call = (id, number, at) => ({ event_id: id, location_id: 'phx-01', occurred_at: at, caller_number: number, disposition: 'no_answer' });
const textAt = (d) => d.follow_up.find((s) => s.action === 'send_sms' && s.compliance.verdict !== 'blocked').at;

test('each text once; a STOP at Twilio is written back and never texted past', async () => {
  const fake = await startFake();
  try {
    const engine = new ringback.Engine(PHOENIX_POLICY);
    const d = engine.process(call('TX-1', '+16025550144', '2026-11-24T09:15:00-07:00'), { contacts: [] });
    const at = textAt(d);
    await config(fake.base, { twilio_now: Math.floor(Date.parse(at) / 1000) });
    const opts = { config: CONFIG, now: at, baseUrl: fake.base, headers };
    const first = await messaging.send(d, opts);
    const again = await messaging.send(JSON.stringify(d), { ...opts, config: JSON.stringify(CONFIG) });
    assert.equal(first.sent.length, 1);
    assert.equal(first.sent[0].created, true);
    assert.equal(again.sent[0].created, false, 'found, not sent twice');
    assert.equal((await messages(fake.base)).length, 1);

    await config(fake.base, { twilio_opted_out: ['+16025550155'] });
    const replayer = new ringback.Replayer(engine);
    const e = call('TX-2', '+16025550155', '2026-11-24T09:30:00-07:00');
    const d2 = replayer.decide(e);
    const out = await messaging.send(d2, { ...opts, now: textAt(d2) });
    assert.equal(out.failed[0].code, 'recipient_opted_out');
    assert.equal(out.failed[0].provider_code, 21610);
    for (const r of out.consent_updates) replayer.suppress(r.channel, r.number);
    const d3 = replayer.decide({ ...e, event_id: 'TX-3', occurred_at: '2026-11-25T09:30:00-07:00' });
    assert.ok(d3.follow_up.filter((s) => s.action === 'send_sms').every((s) => s.compliance.verdict === 'blocked'));
    assert.equal((await messages(fake.base)).length, 1);
    assert.throws(() => new messaging.TwilioSend(d, { account_sid: 'AC1' }, at), { code: 'invalid_crm', path: 'account_sid' });
    assert.throws(() => replayer.suppress('fax', '+16025550155'), { code: 'invalid_json' });
    const cb = messaging.readCallback('MessageSid=SM9&From=%2B16025550166&Body=STOP&OptOutType=STOP');
    assert.equal(cb.revocation.number, '+16025550166');
  } finally {
    fake.stop();
  }
});
