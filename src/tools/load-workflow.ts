import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { FileAccessError, InvalidInputError } from '../errors.js';
import { looksLikeGaWorkflow, readWorkflowFile, type WorkflowFile } from '../model/read-workflow-file.js';
import type { Tool } from '../model/tool.js';

/**
 * Finds and reads Galaxy workflow files for `run --workflow`: a file, or
 * every `.ga` / `.json` file under a folder that is a `.ga` workflow
 * (`"a_galaxy_workflow": "true"`); other JSON files are skipped.
 */

const SKIPPED_FOLDERS = new Set(['.git', '.hg', '.venv', 'node_modules']);

export function findWorkflowFiles(argument: string): string[] {
  let stat;
  try {
    stat = statSync(argument);
  } catch {
    throw new FileAccessError(`--workflow ${argument}: no such file or folder`);
  }
  if (stat.isFile()) return [argument];
  const found: string[] = [];
  const walk = (dir: string, depth: number): void => {
    if (depth > 12) return;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name)) walk(path, depth + 1);
      } else if (entry.isFile() && ['.ga', '.json'].includes(extname(entry.name)) && isGaWorkflowFile(path)) found.push(path);
    }
  };
  walk(argument, 0);
  return found;
}

function isGaWorkflowFile(path: string): boolean {
  try {
    return statSync(path).size < 16 * 1024 * 1024 && looksLikeGaWorkflow(JSON.parse(readFileSync(path, 'utf8')));
  } catch {
    return false;
  }
}

/** Reads one workflow file; its tool steps run the given tools where their ids match, else what the step describes. */
export function loadWorkflowFile(path: string, tools: readonly Tool[]): WorkflowFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new FileAccessError(`${path}: cannot read: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new InvalidInputError(`${path}: not JSON (${(error as Error).message}); gxformat2 YAML workflows are not read yet`);
  }
  return readWorkflowFile(json, path, tools);
}
