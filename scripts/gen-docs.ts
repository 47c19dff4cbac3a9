// `npm run docs`: writes docs/rules/*.md and the README's rule table from the rule files.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expectedDocs } from './rule-docs';

const root = path.resolve(__dirname, '..', '..');
for (const [file, content] of expectedDocs(root)) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== content) {
    fs.writeFileSync(file, content);
    console.log(`wrote ${path.relative(root, file)}`);
  }
}
