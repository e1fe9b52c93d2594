import type { Scope } from './api-keys.js';

export const ROLES = ['admin', 'management', 'compliance', 'rm'] as const;
export type Role = (typeof ROLES)[number];

/** What each role may do. `admin` holds every scope (requireScope). */
export const ROLE_SCOPES: Record<Role, readonly Scope[]> = {
  admin: ['admin'],
  management: ['read', 'analytics', 'reports'],
  compliance: ['read', 'analytics', 'reports', 'audit'],
  rm: ['read', 'reports'],
};

/** Roles that see PAN unmasked. Management works on aggregates and does not need it; RMs see it masked. */
export const PII_ROLES: ReadonlySet<Role> = new Set<Role>(['admin', 'compliance']);

/** Roles that see every client; an RM sees their own book and, as a manager, their reportees'. */
export const FIRM_WIDE_ROLES: ReadonlySet<Role> = new Set<Role>(['admin', 'management', 'compliance']);

/**
 * A user-bound API key does what both allow: the key's scopes within the user's role
 * (an admin key for an RM user is an RM; a read-only key for an admin user is read-only).
 */
export function effectiveScopes(keyScopes: readonly Scope[], role: Role): Set<Scope> {
  const roleScopes = ROLE_SCOPES[role];
  if (roleScopes.includes('admin')) return new Set(keyScopes);
  if (keyScopes.includes('admin')) return new Set(roleScopes);
  return new Set(keyScopes.filter((s) => roleScopes.includes(s)));
}
