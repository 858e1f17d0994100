import { UnknownNameError } from '../errors.js';
import { BUILTIN_PROFILES, findBuiltinProfile } from './builtin-profiles.js';
import type { Profile } from './profile.js';

/**
 * Resolves `--profile`: a built-in name, or a path to a profile file
 * (anything containing a path separator or ending in .json/.yaml/.yml).
 */
export async function resolveProfile(nameOrPath: string): Promise<Profile> {
  if (looksLikePath(nameOrPath)) {
    const { loadProfileFile } = await import('./profile-file.js');
    return loadProfileFile(nameOrPath);
  }
  const profile = findBuiltinProfile(nameOrPath);
  if (profile === undefined) {
    throw new UnknownNameError(`unknown profile "${nameOrPath}" (built-in: ${BUILTIN_PROFILES.map((p) => p.name).join(', ')}; or give a profile file path)`);
  }
  return profile;
}

export function looksLikePath(value: string): boolean {
  return value.includes('/') || value.includes('\\') || /\.(json|ya?ml)$/i.test(value);
}
