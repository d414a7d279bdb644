/**
 * What each role may do. Tenant and TLP isolation is enforced below this, in the store's queries; this is
 * the separation of duties on top: analysts work alerts and cases, supervisors also decide and assign,
 * admins run their agency (people, tokens, sharing, reporting settings) without reading case data,
 * auditors read everything of their agency and the audit trail but change nothing, and systems (API
 * tokens) feed transactions and reports and read the alerts they raise.
 */
import type { Role } from '../model/index.js';

export const PERMISSIONS = {
  'transactions:write': ['analyst', 'supervisor', 'system'],
  'transactions:read': ['analyst', 'supervisor', 'auditor', 'system'],
  'alerts:read': ['analyst', 'supervisor', 'auditor', 'system'],
  'alerts:work': ['analyst', 'supervisor'],
  'alerts:assign-others': ['supervisor'],
  'alerts:reopen': ['supervisor'],
  'cases:read': ['analyst', 'supervisor', 'auditor'],
  'cases:write': ['analyst', 'supervisor'],
  'cases:decide': ['supervisor'],
  'reports:export': ['analyst', 'supervisor'],
  'reports:intake': ['analyst', 'supervisor', 'system'],
  'reports:read': ['analyst', 'supervisor', 'auditor'],
  'entities:read': ['analyst', 'supervisor', 'auditor'],
  'tenant:read': ['analyst', 'supervisor', 'admin', 'auditor', 'system'],
  'tenant:configure': ['admin'],
  'users:manage': ['admin'],
  'tokens:manage': ['admin'],
  'sharing:manage': ['admin'],
  'sharing:read': ['admin', 'supervisor', 'auditor'],
  'tenants:manage': ['admin'],
  'audit:read': ['admin', 'auditor'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}
