'use strict';
// Missed call -> Salesforce, HubSpot, Zoho, Dynamics 365 or Pipedrive, the way an integrator wires it: search the CRM by
// the caller's number, decide, write the decision (lead, activity, callback task) without
// ever creating a duplicate. Copy `handleMissedCall` into your webhook handler.
//
//   SALESFORCE_URL=https://yourorg.my.salesforce.com SALESFORCE_TOKEN=... \
//     node examples/node/crm_sync.js salesforce event.json
//   node examples/node/crm_sync.js --self-test     # against the repository's CRM fake
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const readline = require('node:readline');

let ringback;
let crm;
try {
  ringback = require('ringback');
  crm = require('ringback/crm');
} catch {
  ringback = require('../../bindings-node'); // running from a checkout of the repository
  crm = require('../../bindings-node/crm');
}

const engine = new ringback.Engine(fs.readFileSync(path.join(__dirname, 'policy.json'), 'utf8'));

/** One webhook: lookup -> decision -> sync. Safe to run again for a retried webhook. */
async function handleMissedCall(event, { system, baseUrl, token }) {
  // Zoho takes its own scheme; the others an OAuth bearer token.
  const headers = { Authorization: system === 'zoho' ? `Zoho-oauthtoken ${token}` : `Bearer ${token}` };
  const snap = event.caller_number
    ? await crm.snapshot({ baseUrl, system, caller: event.caller_number, location: event.location_id, headers })
    : { contacts: [] };
  const decision = engine.process(event, snap);
  const outcome = await crm.sync(decision, { baseUrl, system, headers });
  if (outcome.state !== 'done') {
    // Nothing written is lost and nothing is written twice: retry the whole call later.
    throw new Error(`CRM sync stopped: ${JSON.stringify(outcome.failure)}`);
  }
  return { status: decision.status, record: decision.record.action, written: outcome.written };
}

async function selfTest() {
  const fake = process.env.RINGBACK_CRM_FAKE || path.join(__dirname, '..', '..', 'target', 'debug', 'crm-fake');
  const proc = spawn(fake, [], { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise((resolve) => readline.createInterface({ input: proc.stdout }).once('line', resolve));
  const baseUrl = line.replace('listening on ', '');
  try {
    const policy = JSON.parse(fs.readFileSync(path.join(__dirname, 'policy.json'), 'utf8'));
    const loc = policy.locations[0];
    const event = {
      event_id: 'CAL-EX-1', location_id: loc.id, occurred_at: '2026-11-24T15:15:00Z',
      caller_number: '+14045550198', disposition: 'no_answer',
    };
    for (const system of ['salesforce', 'hubspot', 'zoho', 'dynamics', 'pipedrive']) {
      const first = await handleMissedCall(event, { system, baseUrl, token: 'fake-token' });
      const retry = await handleMissedCall(event, { system, baseUrl, token: 'fake-token' });
      if (first.record !== 'create_lead' || retry.written.some((w) => w.created)) {
        throw new Error(`self-test failed: ${JSON.stringify({ first, retry })}`);
      }
      console.log(`${system} ${first.record} ${first.written.length} records written; the retry created none`);
    }
  } finally {
    proc.stdin.end();
  }
}

async function main() {
  if (process.argv.includes('--self-test')) return selfTest();
  const [system, eventFile] = process.argv.slice(2);
  const prefix = system.toUpperCase();
  const out = await handleMissedCall(JSON.parse(fs.readFileSync(eventFile, 'utf8')), {
    system, baseUrl: process.env[`${prefix}_URL`], token: process.env[`${prefix}_TOKEN`],
  });
  console.log(JSON.stringify(out, null, 2));
}

module.exports = { handleMissedCall };

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
