import type { CrmSnapshot, CrmSyncOutcome, Decision } from './types'
import { CrmSync, crmLookup } from './index'

export { CrmSync, crmLookup }

/** Options of the `fetch` drivers. */
export interface CrmDriverOptions {
  /** The CRM instance (`https://yourorg.my.salesforce.com`, `https://api.hubapi.com`). */
  baseUrl: string
  /** Which CRM. */
  system: 'salesforce' | 'hubspot' | 'zoho' | 'dynamics' | 'pipedrive'
  /** Adapter configuration (object, JSON or TOML text); the documented defaults when absent. */
  config?: object | string | null
  /** Headers added to every request (your `Authorization`). */
  headers?: Record<string, string>
  /** A `fetch` implementation (Node's own by default). */
  fetch?: typeof globalThis.fetch
  /** How to wait `ms` milliseconds before a retry (a timer by default). */
  sleep?: (ms: number) => Promise<void>
}

/** Searches the CRM for `caller` and resolves with the CRM snapshot for `Engine.process`. */
export declare function snapshot(options: CrmDriverOptions & { caller: string; location: string }): Promise<CrmSnapshot>

/** Writes `decision` into the CRM and resolves with the outcome. */
export declare function sync(decision: Decision | string, options: CrmDriverOptions): Promise<CrmSyncOutcome>
