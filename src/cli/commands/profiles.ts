import { BUILTIN_PROFILES } from '../../profiles/builtin-profiles.js';
import { SETTING_DEFINITIONS } from '../../profiles/settings.js';
import type { Io } from '../io.js';

/** `cardfuzz profiles`: one line per built-in profile; `--settings`: every setting with its values and default. */
export function profilesCommand(options: { readonly settings: boolean; readonly json: boolean }, io: Io): number {
  if (options.settings) {
    if (options.json) {
      io.out(JSON.stringify(SETTING_DEFINITIONS.map((d) => ({ ...d, defaults: Object.fromEntries(BUILTIN_PROFILES.map((p) => [p.name, p.settings[d.name]])) })), null, 2));
      return 0;
    }
    for (const d of SETTING_DEFINITIONS) {
      const defaults = BUILTIN_PROFILES.map((p) => `${p.name}=${p.settings[d.name]}`).join(', ');
      io.out(`${d.name} = ${d.values.join(' | ')}${'question' in d ? `  (galaxy-semantics §7.1 ${d.question})` : ''}\n    ${d.description}\n    defaults: ${defaults}`);
    }
    return 0;
  }
  if (options.json) {
    io.out(JSON.stringify(BUILTIN_PROFILES.map((p) => ({ name: p.name, description: p.description, expectation: p.expectation, migrations: p.migrations.map((m) => m.revision), settings: p.settings })), null, 2));
    return 0;
  }
  const width = Math.max(...BUILTIN_PROFILES.map((p) => p.name.length));
  for (const p of BUILTIN_PROFILES) io.out(`${p.name.padEnd(width)}  ${p.description}`);
  return 0;
}
