'use strict';
// Shared helpers for the node --test suites.
const fs = require('node:fs');
const path = require('node:path');

const repo = path.join(__dirname, '..', '..');
const ringback = require('..');

/** Reads a file under the repository root. */
function readRepo(...parts) {
  return fs.readFileSync(path.join(repo, ...parts), 'utf8');
}

/** The demo week: policy text, CRM text, event lines (JSON text each). */
function demoWeek() {
  return {
    policy: readRepo('demo', 'policy.json'),
    crm: readRepo('demo', 'crm.json'),
    events: readRepo('demo', 'events.jsonl')
      .split('\n')
      .filter((l) => l.trim() !== ''),
  };
}

/** A minimal valid policy (SPEC §3.3) and an event for it. */
const PHOENIX_POLICY = {
  version: '2026-11-a',
  locations: [
    {
      id: 'phx-01',
      name: 'Phoenix Camelback',
      vertical: 'home_services',
      time_zone: 'America/Phoenix',
      country: 'US',
      state: 'AZ',
      phone: '+16025550100',
      hours: {
        mon: [['07:00', '18:00']],
        tue: [['07:00', '18:00']],
        wed: [['07:00', '18:00']],
        thu: [['07:00', '18:00']],
        fri: [['07:00', '18:00']],
        sat: [['08:00', '14:00']],
      },
      holidays: ['2026-11-26'],
      avg_inquiry_value: 250,
      currency: 'USD',
      on_call: true,
    },
  ],
};

function phoenixEvent(overrides = {}) {
  return {
    event_id: 'CAL123',
    location_id: 'phx-01',
    occurred_at: '2026-11-24T09:15:00-07:00',
    caller_number: '(602) 555-0143',
    disposition: 'no_answer',
    ...overrides,
  };
}

module.exports = { repo, ringback, readRepo, demoWeek, PHOENIX_POLICY, phoenixEvent };
