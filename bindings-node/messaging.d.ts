import type { Decision, TwilioCallback, TwilioConfig, TwilioSendOutcome } from './types'
import { TwilioSend } from './index'

export { TwilioSend }

/** Twilio's REST API. */
export declare const BASE_URL: string

/** Options of the `fetch` driver. */
export interface TwilioDriverOptions {
  /** The adapter configuration (object or JSON text). */
  config: TwilioConfig | string
  /** "Now" (RFC 3339): what is due is sent, what is later scheduled or handed back. */
  now: string
  /** Twilio's API (a fake's in tests). */
  baseUrl?: string
  /** Headers added to every request (your Basic `Authorization`). */
  headers?: Record<string, string>
  /** A `fetch` implementation (Node's own by default). */
  fetch?: typeof globalThis.fetch
  /** How to wait `ms` milliseconds before a retry. */
  sleep?: (ms: number) => Promise<void>
}

/** Sends `decision`'s texts and resolves with the outcome. */
export declare function send(decision: Decision | string, options: TwilioDriverOptions): Promise<TwilioSendOutcome>

/** What a Twilio webhook body says about consent. */
export declare function readCallback(form: string): TwilioCallback
