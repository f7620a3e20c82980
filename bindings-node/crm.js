'use strict';
// CRM records from Node: search a CRM by the caller's number and write decisions into it
// (Salesforce, HubSpot, Zoho CRM, Dynamics 365, Pipedrive) without creating anything twice. The logic is the Rust core's
// sans-I/O machines (CrmSync, crmLookup); these helpers only move their requests with
// `fetch` (Node's own, or any compatible one) and feed the answers back.
//
//   const { snapshot, sync } = require('ringback/crm');
//   const crm = await snapshot({ baseUrl, system: 'salesforce', caller, location, headers });
//   const outcome = await sync(engine.process(event, crm), { baseUrl, system: 'salesforce', headers });
const { CrmSync, crmLookup } = require('./index.js');

const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function send(fetchFn, baseUrl, request, headers) {
  const res = await fetchFn(baseUrl.replace(/\/+$/, '') + request.path, {
    method: request.method,
    headers: { ...Object.fromEntries(request.headers), ...headers },
    body: request.body === null || request.body === undefined ? undefined : request.body,
  });
  return { status: res.status, headers: [...res.headers.entries()], body: await res.text() };
}

/** Searches the CRM for `caller` and resolves with the CRM snapshot for `Engine.process`. */
async function snapshot({ baseUrl, system, caller, location, config = null, headers = {}, fetch = globalThis.fetch, sleep = wait }) {
  const lookup = crmLookup(system, caller, location, config);
  const answers = [];
  for (const request of lookup.requests()) {
    let answer = await send(fetch, baseUrl, request, headers);
    for (let attempt = 1, delay; (delay = lookup.retryDelay(answer, attempt)) !== null; attempt++) {
      await sleep(delay * 1000);
      answer = await send(fetch, baseUrl, request, headers);
    }
    answers.push(answer);
  }
  return lookup.snapshot(answers);
}

/** Writes `decision` into the CRM and resolves with the outcome (`state` done or failed). */
async function sync(decision, { baseUrl, system, config = null, headers = {}, fetch = globalThis.fetch, sleep = wait }) {
  const machine = new CrmSync(system, decision, config);
  for (let request = machine.nextRequest(); request !== null; request = machine.nextRequest()) {
    if (request.delay_seconds) await sleep(request.delay_seconds * 1000);
    machine.feed(await send(fetch, baseUrl, request, headers));
  }
  return machine.outcome();
}

module.exports = { snapshot, sync, CrmSync, crmLookup };
