'use strict';
// Example webhook server (plain `http`): a Twilio <Dial action> request (form-encoded) and
// an Aircall call.* webhook (JSON) go through `ingest.<vendor>` and `engine.process`.
//
//   node examples/node/server.js               listen on $PORT (default 3000)
//   node examples/node/server.js --self-test   post the two sample payloads to itself
//
// In production you would verify the vendor signatures first and write the decision to
// your CRM / task queue in `onDecision`.
const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');

let ringback;
try {
  ringback = require('ringback');
} catch {
  ringback = require('../../bindings-node'); // running from a checkout of the repository
}

const here = __dirname;
const read = (f) => fs.readFileSync(path.join(here, f), 'utf8');

// Tracking numbers and vendor ids to location ids, for `ingest`.
const LOCATION_MAP = {
  '+17722476154': 'psl-01', // Twilio number of the Port St. Lucie location
  'aircall:397375': 'vie-01', // Aircall number id of the Vienna line
};

/**
 * Builds the server. `now()` is the webhook's arrival time (Twilio's Dial action carries
 * no timestamp); `onDecision(decision, vendor)` is where a real app writes to its CRM.
 */
function createServer({
  engine = new ringback.Engine(read('policy.json')),
  crm = null,
  now = () => new Date(),
  onDecision = () => {},
} = {}) {
  const index = crm ?? engine.index(read('crm.json'));

  function decide(vendor, body, res, reply) {
    const ingested = ringback.ingest[vendor](body, { location_map: LOCATION_MAP, received_at: now() });
    if (ingested.ingested !== 'event') {
      // Answered, or an early/partial event: acknowledge, nothing to do.
      return reply(res, ingested, null);
    }
    const decision = engine.process(ingested.event, index);
    onDecision(decision, vendor);
    return reply(res, ingested, decision);
  }

  const routes = {
    'POST /webhooks/twilio/dial-action': (body, res) =>
      // Twilio posts form-encoded; the raw body string goes straight to the parser.
      decide('twilio', body, res, (r, ingested, decision) => {
        const say = decision
          ? 'Sorry we missed you. We will get back to you shortly.'
          : 'Goodbye.';
        r.writeHead(200, {
          'content-type': 'text/xml',
          'x-ringback-ingested': ingested.ingested,
          ...(decision ? { 'x-ringback-status': decision.status, 'x-ringback-decision': decision.decision_id } : {}),
        });
        r.end(`<?xml version="1.0" encoding="UTF-8"?><Response><Say>${say}</Say><Hangup/></Response>`);
      }),
    'POST /webhooks/aircall': (body, res) =>
      decide('aircall', JSON.parse(body), res, (r, ingested, decision) => {
        r.writeHead(200, { 'content-type': 'application/json' });
        r.end(
          JSON.stringify(
            decision
              ? { ingested: 'event', decision_id: decision.decision_id, status: decision.status, record: decision.record.action }
              : ingested,
          ),
        );
      }),
  };

  return http.createServer((req, res) => {
    const route = routes[`${req.method} ${req.url.split('?')[0]}`];
    if (!route) {
      res.writeHead(404).end();
      return;
    }
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      try {
        route(Buffer.concat(chunks).toString('utf8'), res);
      } catch (e) {
        // ringback errors carry a stable code and the JSON path of the bad value.
        const status = e.code && e.code !== 'internal' ? 422 : 500;
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: e.code ?? 'bad_request', path: e.path ?? '', message: e.message }));
      }
    });
  });
}

/** Posts a body to the running server; resolves `{status, headers, body}`. */
function post(port, urlPath, body, contentType) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: urlPath, method: 'POST', headers: { 'content-type': contentType } },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function selfTest() {
  const decisions = [];
  const server = createServer({
    now: () => new Date('2026-11-24T16:15:30Z'),
    onDecision: (d, vendor) => decisions.push({ vendor, d }),
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  try {
    const tw = await post(port, '/webhooks/twilio/dial-action', read('samples/twilio-dial-action-no-answer.txt'), 'application/x-www-form-urlencoded');
    const ac = await post(port, '/webhooks/aircall', read('samples/aircall-call-ended-missed-voicemail.json'), 'application/json');
    console.log(`twilio  -> HTTP ${tw.status} ${tw.headers['x-ringback-status'] ?? tw.body}`);
    console.log(`aircall -> HTTP ${ac.status} ${ac.body}`);
    for (const { vendor, d } of decisions) {
      console.log(`${vendor}: ${d.event_id} ${d.status} ${d.category} caller=${d.caller.e164} record=${d.record.action} location=${d.record.interaction?.location_id ?? ''}`);
    }
    if (tw.status !== 200 || ac.status !== 200 || decisions.length !== 2) {
      throw new Error('self-test failed: expected two decisions');
    }
  } finally {
    server.close();
  }
}

module.exports = { createServer, post, LOCATION_MAP };

if (require.main === module) {
  if (process.argv.includes('--self-test')) {
    selfTest().catch((e) => {
      console.error(e);
      process.exit(1);
    });
  } else {
    const port = Number(process.env.PORT || 3000);
    createServer().listen(port, () => console.log(`ringback example listening on :${port}`));
  }
}
