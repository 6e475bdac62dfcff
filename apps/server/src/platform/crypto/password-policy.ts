import { passwordLimits } from '@steward/contracts';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const commonPasswords = new Set(
  readFileSync(fileURLToPath(new URL('./common-passwords.txt', import.meta.url)), 'utf8')
    .split('\n')
    .map((line) => line.trim().toLowerCase())
    .filter((line) => line.length > 0),
);

/**
 * Check a new password against the policy (NIST SP 800-63B: length, no common passwords, no
 * context words, no composition rules). Returns the problem, or null when acceptable.
 */
export function findPasswordProblem(
  password: string,
  context: { email?: string; orgName?: string },
): string | null {
  if (password.length < passwordLimits.min) return `Use at least ${passwordLimits.min} characters`;
  if (password.length > passwordLimits.max) return `Use at most ${passwordLimits.max} characters`;
  const lower = password.toLowerCase();
  if (commonPasswords.has(lower)) return 'This password is too common; choose another';
  const localPart = context.email?.split('@')[0]?.toLowerCase();
  if (
    context.email &&
    (lower.includes(context.email.toLowerCase()) ||
      (localPart && localPart.length >= 4 && lower.includes(localPart)))
  ) {
    return 'The password must not contain your email address';
  }
  const org = context.orgName?.trim().toLowerCase();
  if (org && org.length >= 3 && lower.includes(org)) {
    return 'The password must not contain the organisation name';
  }
  return null;
}
