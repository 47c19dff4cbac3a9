// The harness extension's entry (bundled to out/vscode-suite/harness/harness.js): in code-server, where there is
// no extensionTestsPath, it runs the suite once the window is up and writes the outcome to $FAILPATH_SUITE_OUT.
import * as fs from 'node:fs';
import { runSuite } from './index';

export async function activate(): Promise<void> {
  const out = process.env.FAILPATH_SUITE_OUT;
  if (!out) return;
  try {
    fs.writeFileSync(out, JSON.stringify(await runSuite()));
  } catch (e) {
    fs.writeFileSync(out, JSON.stringify({ tests: 0, failures: 1, errors: [String((e as Error).stack ?? e)] }));
  }
}

export function deactivate(): void {}
