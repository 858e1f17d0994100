import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { TABLE_NAMES, tableLayouts } from '../../src/executor/tables.js';
import { compileCaseStatements } from '../../src/persistence/case-statements.js';
import { BUILTIN_PROFILES } from '../../src/profiles/builtin-profiles.js';
import { READERS } from '../../src/readers/galaxy-readers.js';
import { declaredColumns, GALAXY_SCHEMA } from '../../src/schema/galaxy-schema.js';
import { BRANCH_FIXED_MIGRATIONS, UPSTREAM_MIGRATIONS } from '../../src/schema/galaxy-migrations.js';
import { schemaStateOf } from '../../src/schema/schema-state.js';
import { sqliteTarget } from '../helpers/targets.js';

const root = resolve(import.meta.dirname, '../..');
const fixture = resolve(root, 'test/fixtures/typecheck/misspelt-names.ts');

let previous: ts.Program | undefined;

/** Type-checks the fixture with the compiler, optionally with its `@ts-expect-error` lines removed (the second program reuses the first's files). */
function diagnosticsOf(withoutDirectives: boolean): { line: number; code: number; message: string }[] {
  const config = ts.getParsedCommandLineOfConfigFile(resolve(root, 'tsconfig.json'), { noEmit: true }, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })!;
  const host = ts.createCompilerHost(config.options);
  const original = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language, onError, create) => {
    if (resolve(name) !== fixture) return original(name, language, onError, create);
    let text = readFileSync(fixture, 'utf8');
    if (withoutDirectives) text = text.replace(/^[ \t]*\/\/ @ts-expect-error.*$/gm, '');
    return ts.createSourceFile(name, text, language);
  };
  const program = ts.createProgram([fixture], { ...config.options, noEmit: true }, host, previous);
  previous = program;
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file !== undefined && resolve(d.file.fileName) === fixture)
    .map((d) => ({ line: d.file!.getLineAndCharacterOfPosition(d.start ?? 0).line + 1, code: d.code, message: ts.flattenDiagnosticMessageText(d.messageText, ' ') }));
}

describe('the schema declaration', () => {
  it('makes a misspelt column or table in a reader query, a wrong value type and an unknown column in a write compile errors', () => {
    expect(diagnosticsOf(false)).toEqual([]);
    const errors = diagnosticsOf(true);
    const lines = readFileSync(fixture, 'utf8').split('\n');
    const at = (needle: string): number => lines.findIndex((l) => l.includes(needle) && !l.includes('@ts-expect-error')) + 1;
    const errorAt = (needle: string) => errors.filter((e) => e.line === at(needle));
    expect(errorAt("where('tool_reqest_id'")[0]?.message).toContain('"tool_reqest_id"');
    expect(errorAt("selectFrom('jobs')")[0]?.message).toContain('"jobs"');
    expect(errorAt("param<string>('arg')")[0]?.message).toContain('RawBuilder<string>');
    expect(errorAt("uow.add('job', 1, { tool_reqest_id")[0]?.message).toContain("'tool_reqest_id' does not exist");
    expect(errorAt("uow.set(job, 'stat'")[0]?.message).toContain('"stat"');
    // The correct lines compile: every error is on one of the five lines above.
    expect(new Set(errors.map((e) => e.line)).size).toBe(5);
  }, 60_000);

  it('derives each executor variant’s layout from the declared columns its revision has', () => {
    for (const [variant, migrations] of [['none', UPSTREAM_MIGRATIONS], ['tes', BRANCH_FIXED_MIGRATIONS]] as const) {
      const state = schemaStateOf(migrations);
      const layouts = tableLayouts(variant);
      for (const table of TABLE_NAMES) {
        const columns = layouts[table].columns as readonly string[];
        expect(columns[0]).toBe('id');
        const declared: readonly string[] = declaredColumns(table);
        for (const c of columns) expect(declared).toContain(c);
        const present = state.get(table);
        if (present !== undefined) for (const c of columns) expect(present, `${variant} ${table}.${c}`).toContain(c);
      }
    }
    expect(tableLayouts('none').tool_request.columns).toEqual(['id', 'request', 'state', 'tool_source_id', 'history_id']);
    expect(tableLayouts('tes').tool_request.columns).toEqual(['id', 'state', 'history_id', 'tool_execution_state_id']);
    expect(tableLayouts('tes').tool_execution_state.columns).toEqual(['id', 'request', 'state', 'tool_source_id']);
  });

  it('declares every table a migration creates, and every column it adds', () => {
    for (const migrations of [UPSTREAM_MIGRATIONS, BRANCH_FIXED_MIGRATIONS]) {
      for (const [table, columns] of schemaStateOf(migrations)) {
        expect(Object.keys(GALAXY_SCHEMA)).toContain(table);
        for (const c of columns) expect(declaredColumns(table as keyof typeof GALAXY_SCHEMA)).toContain(c);
      }
    }
  });
});

describe('readers per built-in profile', () => {
  const compiled = async (profile: string): Promise<string[]> => {
    const { system, database } = await sqliteTarget(profile);
    try {
      return [...compileCaseStatements('sqlite', database.catalog, system.databaseSpec('sqlite')).readers.keys()];
    } finally {
      await database.close();
    }
  };
  const ALWAYS = [
    'ToolRequest.jobs',
    'ImplicitCollectionJobs.job_list',
    'ImplicitCollectionJobs.representative_job',
    'Job.implicit_collection_jobs_association',
    'Job.workflow_invocation_step',
    'Job.effective_workflow_invocation_step(via ICJ)',
    'WorkflowInvocationStep.implicit_collection_jobs.job_list',
  ];
  const TES = [
    'ToolExecutionState.tool_request',
    'ToolExecutionState.job',
    'ToolExecutionState.workflow_invocation_step',
    'ToolExecutionState.implicit_collection_jobs',
    'ToolExecutionState.output_collections',
  ];
  const order = (ids: readonly string[]): string[] => READERS.map((r) => r.id).filter((id) => ids.includes(id));

  it('upstream runs the tool request, ICJ, job and step readers and TRICA, none of the TES readers', async () => {
    expect(await compiled('upstream')).toEqual(order([...ALWAYS, 'ToolRequest.implicit_collections']));
  });
  for (const profile of BUILTIN_PROFILES.filter((p) => p.name !== 'upstream')) {
    it(`${profile.name} runs every reader but TRICA's`, async () => {
      expect(await compiled(profile.name)).toEqual(order([...ALWAYS, ...TES]));
    });
  }
});
