import { spawnSync } from 'node:child_process';
import type { ToolCase } from '../../src/model/case.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRegressionCase } from '../../src/regression/regression-case.js';
import { readGalaxyToolXml } from '../../src/tools/galaxy-tool-xml.js';
import { runCli, tempDir, writeJson } from '../helpers/cli.js';
import { itNeeding, python3Requirement } from '../helpers/requirements.js';

/**
 * `export --format galaxy-test`: a Galaxy API test with its tool, ready to
 * drop into a Galaxy checkout. Its shape follows Galaxy's own API tests
 * (lib/galaxy_test/api, populators in lib/galaxy_test/base/populators.py);
 * its Python compiles; its tool XML reads back as the case's tool.
 */
const LEDGER = 'reports/regressions/persists-without-constraint-violations/e0e4095b936a.json';

/** Populator methods the test calls, each a method of Galaxy's DatasetPopulator (lib/galaxy_test/base/populators.py). */
const POPULATOR_CALLS = ['new_dataset', 'tool_request_raw', 'wait_on_tool_request', 'get_tool_request', 'history_jobs_for_tool', 'fetch', 'get_history_collection_details', 'test_history'];

function exportTo(file: string): { dir: string; test: string; tool: string; stdout: string } {
  const dir = tempDir();
  const r = runCli(['export', file, '--format', 'galaxy-test', '--out', dir]);
  expect([r.status, r.stderr]).toEqual([0, '']);
  const test = r.stdout.match(/wrote (.*\.py)/)![1]!;
  const tool = r.stdout.match(/wrote (.*\.xml)/)![1]!;
  return { dir, test, tool, stdout: r.stdout };
}

describe('export --format galaxy-test', () => {
  it('writes the ledger case as a test, its tool XML and the sample_tool_conf.xml line, at their places in a Galaxy checkout', () => {
    const { dir, test, tool, stdout } = exportTo(LEDGER);
    expect(test).toBe(join(dir, 'lib/galaxy_test/api/test_cardfuzz_e0e4095b936a.py'));
    expect(tool).toBe(join(dir, 'test/functional/tools/cardfuzz_e0e4095b936a.xml'));
    expect(stdout).toContain('add to test/functional/tools/sample_tool_conf.xml, inside <toolbox>: <tool file="cardfuzz_e0e4095b936a.xml" />');
    const text = readFileSync(test, 'utf8');
    expect(text).toContain('TOOL_ID = "cardfuzz_e0e4095b936a"');
    expect(text).not.toContain('REPLACE');
    expect(text).toContain('EXPECTED_JOBS = 2');
    expect(text).toContain('from ._framework import ApiTestCase');
    for (const call of POPULATOR_CALLS) expect(text, call).toContain(`self.dataset_populator.${call}(`);
    expect(text).toContain('{"src": "hda", "id": hda[2]}');
    // The header says where each piece goes.
    expect(text).toContain('1. this test: lib/galaxy_test/api/test_cardfuzz_e0e4095b936a.py');
    expect(text).toContain('2. its tool: test/functional/tools/cardfuzz_e0e4095b936a.xml');
    expect(text).toContain('3. in test/functional/tools/sample_tool_conf.xml, inside <toolbox>: <tool file="cardfuzz_e0e4095b936a.xml" />');
  });

  it('prints the three pieces on stdout without --out, each after the path it goes to', () => {
    const r = runCli(['export', LEDGER, '--format', 'galaxy-test']);
    expect(r.status).toBe(0);
    expect(r.stdout.match(/^# ==> .* <==$/gm)).toEqual([
      '# ==> lib/galaxy_test/api/test_cardfuzz_e0e4095b936a.py <==',
      '# ==> test/functional/tools/cardfuzz_e0e4095b936a.xml <==',
      '# ==> test/functional/tools/sample_tool_conf.xml: add inside <toolbox> <==',
    ]);
  });

  it.each(['examples/cases/map-over.json', 'examples/cases/nested-list-paired.json', 'examples/cases/legacy-request.json', LEDGER])('writes a tool XML for %s that reads back as the case’s tool', (file) => {
    const { tool } = exportTo(file);
    const raw = JSON.parse(readFileSync(file, 'utf8')) as { format?: string; case?: unknown; tool?: unknown };
    const expected = raw.format === 'cardfuzz-regression' ? (parseRegressionCase(readFileSync(file, "utf8"), file).case as ToolCase).tool : (raw.tool as { inputs: unknown; outputs: unknown });
    const read = readGalaxyToolXml(tool).tool;
    expect(read.inputs).toEqual(expected.inputs);
    expect(read.outputs.map((o) => ({ name: o.name, type: o.type }))).toEqual((expected.outputs as { name: string; type: string }[]).map((o) => ({ name: o.name, type: o.type })));
  });

  itNeeding(python3Requirement(), 'writes Python that compiles (python3 -m py_compile), for every example case', (python3) => {
    for (const file of [LEDGER, 'examples/cases/map-over.json', 'examples/cases/nested-list-paired.json', 'examples/cases/legacy-request.json']) {
      const { test } = exportTo(file);
      const r = spawnSync(python3, ['-m', 'py_compile', test], { encoding: 'utf8' });
      expect([file, r.status, r.stderr]).toEqual([file, 0, '']);
    }
  });

  it('expects what Galaxy should run, not what it runs: M×N jobs for S14, and each output element holding its own input element’s result', () => {
    const s14 = {
      tool: { id: 'cat', inputs: [{ name: 'input1', type: 'data' }, { name: 'input2', type: 'data' }], outputs: [{ name: 'out_file1', type: 'data' }] },
      history: { datasets: [{ id: 1 }, { id: 2 }, { id: 3 }, { id: 4 }, { id: 5 }], collections: [{ id: 1, collection_type: 'list', elements: ['e0', 'e1', 'e2'].map((identifier, i) => ({ identifier, dataset: i + 1 })) }] },
      entry: 'tool-request',
      request: { input1: { __class__: 'Batch', values: [{ src: 'hdca', id: 1 }] }, input2: { __class__: 'Batch', linked: false, values: [{ src: 'hda', id: 4 }, { src: 'hda', id: 5 }] } },
    };
    const { test } = exportTo(writeJson(tempDir(), 's14.json', s14));
    const text = readFileSync(test, 'utf8');
    // The model runs 3 jobs (Galaxy's zip); the test expects the 6 combinations, so it fails on Galaxy today.
    expect(text).toContain('EXPECTED_JOBS = 6');
    expect(text).toContain('MAPPED_AXES = [([(1, 0)], 1)]');
    expect(text).toContain('self._assert_elements_hold_their_own_results(history_id, axes, jobs)');
    expect(text).toContain('self.dataset_populator.get_job_details(job["id"], full=True)');
  });

  it('refuses a workflow-step case with one line and exit 2', () => {
    const r = runCli(['export', 'examples/cases/workflow-step.json', '--format', 'galaxy-test']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/workflow-step case needs a workflow invocation/);
  });
});
