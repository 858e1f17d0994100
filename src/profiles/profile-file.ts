import { InvalidInputError } from '../errors.js';
import type { Profile } from './profile.js';

/** Profile files arrive with their own issue; until then a path is refused clearly. */
export function loadProfileFile(path: string): Promise<Profile> {
  return Promise.reject(new InvalidInputError(`${path}: profile files are not supported by this build`));
}
