/** A stable error code (`Error.code` of everything ringback throws). */
export type ErrorCode =
  | 'invalid_json'
  | 'invalid_event'
  | 'invalid_crm'
  | 'invalid_policy'
  | 'unknown_location'
  | 'invalid_timestamp'
  | 'invalid_time_zone'
  | 'unsupported_payload'
  | 'internal';

/** What ringback throws (or rejects with): an `Error` with the core's code and JSON path. */
export interface RingbackError extends Error {
  /** The stable machine code. */
  code: ErrorCode;
  /** JSON path of the offending value (`locations[3].hours.mon[1]`), `''` for the whole input. */
  path: string;
  /** `processMany` only: the index of the failing event. */
  index?: number;
}

/** The vendors of `ingest.*`, in SPEC order. */
export type Vendor =
  | 'callrail'
  | 'twilio'
  | 'aircall'
  | 'dialpad'
  | 'vonage'
  | 'invoca'
  | 'ringcentral'
  | 'zoom'
  | 'ctm'
  | 'marchex'
  | 'convirza'
  | 'whatconverts'
  | 'ringostat'
  | 'dialogtech'
  | 'callsource'
  | 'custom'
  | 'retell'
  | 'vapi'
  | 'bland'
  | 'airai'
  | 'voiceflow';

/** Options of `ingest.<vendor>(payload, options)` (all optional). */
export interface IngestOptions {
  /** Tracking numbers (any format) and vendor ids (`aircall:397375`) to location ids. */
  location_map?: { [key: string]: string };
  /** The location used when nothing in the payload is in the map. */
  default_location?: string | null;
  /** The company's IANA zone, for vendor times without an offset (CTM `called_at`). */
  time_zone?: string | null;
  /** When the webhook arrived (RFC 3339 or a `Date`); Twilio action requests carry no time. */
  received_at?: string | Date | null;
  /** ISO 3166 region for national-format numbers (default `US`). */
  region?: string | null;
  /** Which CallRail webhook this is, when the integrator knows it. */
  callrail_webhook?: 'pre_call' | 'call_routing_complete' | 'post_call' | 'call_modified' | null;
  /** Dialpad webhook secret: when set, JWT bodies must carry a valid HS256 signature. */
  dialpad_secret?: string | null;
  /** Invoca template settings (`fields`, `location_fields`, `ivr_hangup_is_after_hours`). */
  invoca?: {
    fields?: { [key: string]: string };
    location_fields?: string[];
    ivr_hangup_is_after_hours?: boolean;
  };
  /** Location id → IANA zone, for vendor times without an offset (Marchex, Ringostat). */
  location_time_zones?: { [location: string]: string };
  /** The configurable mapping of templated vendors (Ringostat, DialogTech, CallSource, custom, Invoca). */
  mapping?: IngestMapping;
}

/** Outcomes a templated vendor's value can map to. */
export type IngestMappedOutcome =
  | 'no_answer'
  | 'busy'
  | 'voicemail'
  | 'abandoned'
  | 'abandoned_in_ivr'
  | 'abandoned_in_queue'
  | 'short_abandoned'
  | 'no_agent_available'
  | 'after_hours'
  | 'failed'
  | 'answered'
  | 'not_missed'
  | 'incomplete';

/** `options.mapping`: the integrator's field paths and value table, laid over the vendor's starting mapping. */
export interface IngestMapping {
  /** Canonical field (`event_id`, `start_time`, `caller`, `disposition`, ...) → path(s) in the body (`call.from.number`, `legs[0].status`). */
  fields?: { [canonical: string]: string | string[] };
  /** Vendor value (compared without case; `+`, `_`, `-` as spaces) → outcome. */
  dispositions?: { [value: string]: IngestMappedOutcome };
  /** Direction values that mean an outbound call. */
  outbound_values?: string[];
  /** `auto` (default), `epoch_seconds`, `epoch_millis`, or a chrono format (`%d.%m.%Y %H:%M:%S`). */
  time_format?: string | null;
  /** The zone of zoneless times. */
  time_zone?: string | null;
  /** Extra paths tried for the location. */
  location_fields?: string[];
  /** Units of the duration fields. */
  duration_unit?: 'seconds' | 'milliseconds' | 'minutes' | null;
}

/** What `ingest.<vendor>(payload)` returns. */
export type IngestResult =
  | { ingested: 'event'; event: MissedCallEvent }
  | { ingested: 'not_missed'; reason: string }
  | { ingested: 'incomplete'; reason: string };

/** One item of `ingest.parseMany(vendor, page)`: a result, or the error of that item alone. */
export type IngestItem =
  | IngestResult
  | { ingested: 'error'; error: { code: ErrorCode; path: string; message: string } };

/** What happened after a follow-up. */
export type OutcomeKind = 'engaged' | 'not_reached' | 'converted' | 'opted_out' | 'wrong_number';

/** An outcome of a follow-up (input of `recordOutcome`). */
export interface Outcome {
  /** The missed call's event id. */
  event_id: string;
  /** What happened. */
  kind: OutcomeKind;
  /** When it happened (RFC 3339 with offset). */
  at: string;
  /** The channel that reached the caller. */
  channel?: Channel | null;
  /** The follow-up step id (`first_touch`, `callback`, ...). */
  step?: string | null;
  /** When the first response actually went out. */
  responded_at?: string | null;
  /** Revenue, for `converted` (>= 0; default: the decision's value at risk). */
  value?: number | null;
  /** The inquiry type staff confirmed, when it differs from the decision's guess. */
  inquiry_type?: string | null;
}

/** Learned state carried between `recordOutcome` calls; store it as returned. */
export type LearningState = Record<string, unknown>;

/** A Google Ads offline-conversion row (present when the call had a click id). */
export type GoogleAdsConversion = Record<string, unknown>;

/** The attribution of one outcome (see SPEC §4.11-12). */
export interface AttributionEvent {
  event_id: string;
  decision_id?: string | null;
  outcome: OutcomeKind;
  at: string;
  contact_id?: string | null;
  caller?: string | null;
  location_id: string;
  vertical: string;
  category?: Category | null;
  inquiry_type?: string | null;
  inquiry_type_confirmed: boolean;
  tracking_number?: string | null;
  campaign?: string | null;
  attribution?: Attribution | null;
  channel?: Channel | null;
  step?: string | null;
  first_response_at?: string | null;
  first_response_reported: boolean;
  first_response_minutes?: number | null;
  sla_due_at?: string | null;
  sla_met?: boolean | null;
  value_at_risk?: number | null;
  recovered_value: number;
  value_estimated: boolean;
  currency: string;
  google_ads?: GoogleAdsConversion | null;
  consent_updates: ConsentUpdate[];
}

/** What `recordOutcome` returns. */
export interface OutcomeResult {
  attribution: AttributionEvent;
  learning: LearningState;
}

/** What a scheduler should do with an open follow-up now (`tick`). */
export type TickAction =
  | { action: 'nothing'; next_at: string | null }
  | { action: 'escalate'; tier: number; handler: string; reason: string }
  | { action: 'breached'; overdue_minutes: number; tier: number };

/** A request a CRM machine asks the caller to send (path relative to the CRM's base URL). */
export interface CrmRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT';
  path: string;
  headers: Array<[string, string]>;
  body: string | null;
  /** Wait this many seconds before sending (a retry after 429 or 5xx). */
  delay_seconds: number;
}

/** What the CRM answered. */
export interface CrmResponse {
  status: number;
  headers?: Array<[string, string]> | { [name: string]: string };
  body?: string | object | null;
}

/** A record a CRM sync wrote or reused. */
export interface CrmWritten {
  what: string;
  object: string;
  id: string | null;
  key: string | null;
  created: boolean | null;
}

/** What a CRM sync did. */
export interface CrmSyncOutcome {
  system: 'salesforce' | 'hubspot' | 'zoho' | 'dynamics' | 'pipedrive';
  event_id: string;
  state: 'running' | 'done' | 'failed';
  person: CrmWritten | null;
  written: CrmWritten[];
  skipped: Array<{ what: string; reason: string }>;
  requests: number;
  retries: number;
  failure: { code: 'crm_rejected' | 'crm_unavailable' | 'invalid_crm' | 'internal'; status: number | null; message: string } | null;
}


/** The Twilio adapter's configuration (`ringback::messaging::twilio::TwilioConfig`). */
export interface TwilioConfig {
  account_sid: string;
  from?: string | null;
  messaging_service_sid?: string | null;
  status_callback?: string | null;
  schedule?: boolean;
  max_lateness_seconds?: number;
  max_attempts?: number;
  retry_seconds?: number;
  page_size?: number;
}

/** A consent change a messaging provider reported: write it back (`Replayer.suppress`). */
export interface MessagingRevocation {
  number: string;
  channel: 'sms' | 'voice' | 'email';
  status: 'revoked';
  source: string;
  reason: string;
}

/** What a Twilio send run did. */
export interface TwilioSendOutcome {
  event_id: string;
  state: 'running' | 'done' | 'failed';
  sent: Array<{ key: string; step_id: string; to: string; sid: string; status: string; send_at: string | null; created: boolean }>;
  deferred: Array<{ key: string; step_id: string; send_at: string; reason: string }>;
  failed: Array<{ key: string; step_id: string; code: 'recipient_opted_out' | 'invalid_number' | 'not_textable' | 'unreachable' | 'sender_rejected' | 'rejected'; provider_code: number | null; status: number; message: string }>;
  skipped: Array<{ step_id: string; reason: string }>;
  pending: string[];
  consent_updates: MessagingRevocation[];
  requests: number;
  retries: number;
  failure: { code: 'crm_rejected' | 'crm_unavailable' | 'invalid_crm' | 'internal'; status: number | null; message: string } | null;
}

/** What a Twilio webhook says about consent. */
export interface TwilioCallback {
  sid: string | null;
  status: string | null;
  error_code: number | null;
  revocation: MessagingRevocation | null;
}
