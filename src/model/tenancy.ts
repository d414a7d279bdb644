/**
 * Who may see what: agencies (tenants), roles, and the Traffic Light Protocol 2.0 marking every shared
 * record carries. The order of TLP_LEVELS is the order of restriction: a sharing agreement that allows
 * AMBER also allows GREEN and CLEAR. RED ("for the eyes and ears of individual recipients only") never
 * leaves its tenant and, inside it, reaches only the people named on the record (creator, assignee) and
 * supervisors.
 */
import { z } from 'zod';

export const TLP_LEVELS = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'] as const;
export const Tlp = z.enum(TLP_LEVELS).describe('TLP 2.0 marking');
export type Tlp = z.infer<typeof Tlp>;

export function tlpRank(tlp: Tlp): number {
  return TLP_LEVELS.indexOf(tlp);
}

/** The most restrictive TLP a sharing agreement may allow: RED is never shared across agencies. */
export const MAX_SHAREABLE_TLP: Tlp = 'AMBER+STRICT';

export const ROLES = ['analyst', 'supervisor', 'admin', 'auditor', 'system'] as const;
export const Role = z.enum(ROLES).describe('analyst, supervisor, admin, auditor (people); system (API tokens of monitored systems)');
export type Role = z.infer<typeof Role>;

/** Roles a person's account can have (`system` is for API tokens only). */
export const USER_ROLES = ['analyst', 'supervisor', 'admin', 'auditor'] as const satisfies readonly Role[];

/** The one who asks: the tenant they act for, their user (or token) id, their role. */
export interface Viewer {
  tenantId: string;
  /** User id, or `token:<id>` for an API token. */
  userId: string;
  role: Role;
  /** Where the request came from (IP address), for the audit trail. */
  ip?: string;
}
