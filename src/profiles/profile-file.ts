import { checkJsonDepth, withoutByteOrderMark } from '../files/input-text.js';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { FileAccessError, InvalidInputError } from '../errors.js';
import { TABLE_NAMES, type TableName } from '../executor/tables.js';
import type { RelationshipDeclaration } from '../executor/relationships.js';
import {
  describeJson,
  expectArray,
  expectBoolean,
  expectKnownKeys,
  expectNonEmptyString,
  expectObject,
  expectOneOf,
  expectString,
  parseJsonText,
  type JsonObject,
} from '../model/json-checks.js';
import { sqlDialect } from '../persistence/dialects/dialects.js';
import { findBuiltinProfile } from './builtin-profiles.js';
import type { Profile, ProfileDatabase } from './profile.js';
import { checkSetting, type SettingsPatch } from './settings.js';

/**
 * A profile file (JSON or YAML) describes a Galaxy branch without changing
 * cardfuzz: it extends a built-in profile (or another profile file) with
 * extra SQL or a whole schema per dialect, a schema dump, relationship
 * declarations and settings. Every mistake names the file and the field.
 */
const FIELDS = ['name', 'description', 'extends', 'sql', 'schema', 'schema_sql', 'relationships', 'settings', 'previous', 'expectation', 'database'];

export async function loadProfileFile(path: string, seen: readonly string[] = []): Promise<Profile> {
  const absolute = resolve(path);
  if (seen.includes(absolute)) throw new InvalidInputError(`${path}: extends itself through ${seen.join(' -> ')}`);
  const text = await readText(path);
  const value = /\.ya?ml$/i.test(path) ? parseYamlText(text, path) : parseJsonText(text, path);
  const object = expectObject(value, `${path}: the file`);
  expectKnownKeys(object, FIELDS, `${path}: the file`);
  const field = (name: string): string => `${path}: field ${name}`;
  const name = expectNonEmptyString(object['name'], field('name'));
  const extendsName = expectNonEmptyString(object['extends'], field('extends'));
  const base = await resolveBase(extendsName, path, [...seen, absolute]);
  const extraSql = readSqlLists(object['sql'], field('sql'));
  const schema = object['schema'] === undefined ? undefined : readSqlLists(object['schema'], field('schema'));
  const settings = readSettings(object['settings'], field('settings'));
  const relationships = readRelationships(object['relationships'], base.relationships, field('relationships'));
  let schemaSql = base.schemaSql;
  if (object['schema_sql'] !== undefined) {
    const dumpPath = resolve(dirname(path), expectNonEmptyString(object['schema_sql'], field('schema_sql')));
    schemaSql = { path: dumpPath, text: await readText(dumpPath) };
  }
  const previous = object['previous'] === undefined ? base.previous : expectNonEmptyString(object['previous'], field('previous'));
  const database = object['database'] === undefined ? base.database : readDatabase(object['database'], field('database'));
  return {
    name,
    description: object['description'] === undefined ? `${name} (extends ${base.name})` : expectString(object['description'], field('description')),
    expectation: object['expectation'] === undefined ? base.expectation : expectString(object['expectation'], field('expectation')),
    migrations: schema === undefined ? base.migrations : [],
    extraSql: schema === undefined ? { sqlite: [...base.extraSql.sqlite, ...extraSql.sqlite], postgres: [...base.extraSql.postgres, ...extraSql.postgres] } : { sqlite: [...schema.sqlite, ...extraSql.sqlite], postgres: [...schema.postgres, ...extraSql.postgres] },
    ...(schemaSql === undefined ? {} : { schemaSql }),
    relationships,
    settings: { ...base.settings, ...settings },
    ...(previous === undefined || schema !== undefined ? {} : { previous }),
    ...(database === undefined ? {} : { database }),
    origin: path,
  };
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new FileAccessError(`${path}: cannot read (${code === 'ENOENT' ? 'no such file' : (code ?? (error as Error).message)})`);
  }
}

function parseYamlText(text: string, path: string): unknown {
  let value: unknown;
  try {
    value = parseYaml(withoutByteOrderMark(text)) as unknown;
  } catch (error) {
    throw new InvalidInputError(`${path}: malformed YAML (${(error as Error).message.split('\n')[0]})`);
  }
  checkJsonDepth(value, path);
  return value;
}

async function resolveBase(name: string, fromFile: string, seen: readonly string[]): Promise<Profile> {
  const builtin = findBuiltinProfile(name);
  if (builtin !== undefined) return builtin;
  if (/\.(json|ya?ml)$/i.test(name)) return loadProfileFile(resolve(dirname(fromFile), name), seen);
  throw new InvalidInputError(`${fromFile}: field extends: "${name}" is neither a built-in profile (upstream, branch-1f87eebce, branch-fixed) nor a profile file`);
}

function readSqlLists(value: unknown, where: string): { sqlite: string[]; postgres: string[] } {
  if (value === undefined) return { sqlite: [], postgres: [] };
  const object = expectObject(value, where);
  expectKnownKeys(object, ['sqlite', 'postgres'], where);
  const list = (key: 'sqlite' | 'postgres'): string[] =>
    object[key] === undefined ? [] : expectArray(object[key], `${where}.${key}`).map((s, i) => expectNonEmptyString(s, `${where}.${key}[${i}]`));
  return { sqlite: list('sqlite'), postgres: list('postgres') };
}

/** `database: {dialect: postgres, url: ...}` or `{dialect: postgres, url_env: NAME}` (keeps passwords out of the file). */
function readDatabase(value: unknown, where: string): ProfileDatabase {
  const object = expectObject(value, where);
  expectKnownKeys(object, ['dialect', 'url', 'url_env'], where);
  const dialect = expectOneOf(object['dialect'], ['sqlite', 'postgres'] as const, `${where}.dialect`);
  if (object['url'] !== undefined && object['url_env'] !== undefined) throw new InvalidInputError(`${where}: give url or url_env, not both`);
  const url = object['url'] === undefined ? undefined : expectNonEmptyString(object['url'], `${where}.url`);
  const urlEnv = object['url_env'] === undefined ? undefined : { name: expectNonEmptyString(object['url_env'], `${where}.url_env`), where: `${where}.url_env` };
  if (sqlDialect(dialect).needsServer && url === undefined && urlEnv === undefined) throw new InvalidInputError(`${where}: dialect ${dialect} needs url or url_env`);
  return { dialect, ...(url === undefined ? {} : { url }), ...(urlEnv === undefined ? {} : { urlEnv }) };
}

/** The URL a profile file's database names, reading url_env now (only when the database is used). */
export function profileDatabaseUrl(database: ProfileDatabase): string | undefined {
  if (database.url !== undefined || database.urlEnv === undefined) return database.url;
  const url = process.env[database.urlEnv.name];
  if (url === undefined || url === '') throw new InvalidInputError(`${database.urlEnv.where}: the environment variable ${database.urlEnv.name} is not set`);
  return url;
}

function readSettings(value: unknown, where: string): SettingsPatch {
  if (value === undefined) return {};
  const object = expectObject(value, where);
  let patch: SettingsPatch = {};
  for (const [name, v] of Object.entries(object)) {
    if (typeof v !== 'string') throw new InvalidInputError(`${where}.${name}: expected a string value, got ${describeJson(v)}`);
    patch = { ...patch, ...checkSetting(name, v, where) };
  }
  return patch;
}

function readRelationships(value: unknown, base: readonly RelationshipDeclaration[], where: string): RelationshipDeclaration[] {
  const out = [...base];
  if (value === undefined) return out;
  expectArray(value, where).forEach((entry, i) => {
    const here = `${where}[${i}]`;
    const object: JsonObject = expectObject(entry, here);
    expectKnownKeys(object, ['name', 'parent_table', 'child_table', 'column', 'uselist'], here);
    const name = expectNonEmptyString(object['name'], `${here}.name`);
    const uselist = expectBoolean(object['uselist'], `${here}.uselist`);
    const index = out.findIndex((r) => r.name === name);
    const table = (key: string): TableName | undefined => (object[key] === undefined ? undefined : expectOneOf(object[key], TABLE_NAMES, `${here}.${key}`));
    const parentTable = table('parent_table');
    const childTable = table('child_table');
    const column = object['column'] === undefined ? undefined : expectNonEmptyString(object['column'], `${here}.column`);
    if (index >= 0) {
      const current = out[index]!;
      out[index] = { name, uselist, parentTable: parentTable ?? current.parentTable, childTable: childTable ?? current.childTable, column: column ?? current.column };
    } else {
      if (parentTable === undefined || childTable === undefined || column === undefined) {
        throw new InvalidInputError(`${here}: a new relationship "${name}" needs parent_table, child_table and column`);
      }
      out.push({ name, uselist, parentTable, childTable, column });
    }
  });
  return out;
}
