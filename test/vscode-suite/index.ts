// Runs the extension-host suite with mocha. `run()` is the @vscode/test-electron entry (extensionTestsPath);
// the code-server harness calls it too and writes the outcome to a file.
import Mocha from 'mocha';
import { defineSuite } from './suite';

export function run(): Promise<void> {
  return runSuite().then((r) => {
    if (r.failures > 0) throw new Error(`${r.failures} of ${r.tests} extension-host tests failed:\n${r.errors.join('\n')}`);
  });
}

export function runSuite(): Promise<{ tests: number; failures: number; errors: string[] }> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 90_000, color: false, reporter: 'spec' });
  mocha.suite.emit('pre-require', globalThis, 'failpath-suite', mocha);
  defineSuite();
  const errors: string[] = [];
  return new Promise((resolve) => {
    const runner = mocha.run((failures) => resolve({ tests: runner.total, failures, errors }));
    runner.on('fail', (t, err: Error) => errors.push(`${t.fullTitle()}: ${err.message}`));
  });
}
