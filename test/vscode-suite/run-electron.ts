// `npm run test:vscode`: the extension-host suite in a downloaded VS Code (@vscode/test-electron), on the
// examples/ workspace. Machines without access to update.code.visualstudio.com run it in code-server instead.
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

const root = path.resolve(__dirname, '..', '..');
runTests({
  extensionDevelopmentPath: root,
  extensionTestsPath: path.join(root, 'out', 'vscode-suite', 'index.js'),
  launchArgs: [path.join(root, 'examples'), '--disable-extensions', '--disable-workspace-trust'],
}).catch((e) => {
  console.error(`test:vscode: ${(e as Error).message}`);
  process.exit(1);
});
