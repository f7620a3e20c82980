'use strict';
// Follow-up texts from Node: each allowed send_sms step of a decision sent through Twilio
// Programmable Messaging, at most once per step, never outside its legal instant. The logic
// is the Rust core's sans-I/O machine (TwilioSend); this helper only moves its requests
// with `fetch` and feeds the answers back.
//
//   const { send } = require('ringback/messaging');
//   const outcome = await send(decision, { config: { account_sid, messaging_service_sid },
//     now: new Date().toISOString(), headers: { Authorization: 'Basic ' + btoa(sid + ':' + token) } });
//   for (const r of outcome.consent_updates) replayer.suppress(r.channel, r.number);
const { TwilioSend, twilioReadCallback } = require('./index.js');

const BASE_URL = 'https://api.twilio.com';
const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends `decision`'s texts at `now` and resolves with the outcome (`state` done or failed). */
async function send(decision, { config, now, baseUrl = BASE_URL, headers = {}, fetch = globalThis.fetch, sleep = wait }) {
  const machine = new TwilioSend(decision, config, now);
  for (let request = machine.nextRequest(); request !== null; request = machine.nextRequest()) {
    if (request.delay_seconds) await sleep(request.delay_seconds * 1000);
    const res = await fetch(baseUrl.replace(/\/+$/, '') + request.path, {
      method: request.method,
      headers: { ...Object.fromEntries(request.headers), ...headers },
      body: request.body === null || request.body === undefined ? undefined : request.body,
    });
    machine.feed({ status: res.status, headers: [...res.headers.entries()], body: await res.text() });
  }
  return machine.outcome();
}

module.exports = { BASE_URL, send, readCallback: twilioReadCallback, TwilioSend };
