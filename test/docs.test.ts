// The rule docs and the README's rule table are generated from the rule files: they must be up to date.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expectedDocs, readRules } from '../scripts/rule-docs';
import { RULES } from '../server/src/engine/rules/registry';
import { ALLOCATOR_KEYS } from '../server/src/engine/config/config';

const root = path.resolve(__dirname, '..', '..');

test('every registered rule has a generated doc', () => {
  assert.deepEqual(readRules(root).map((r) => r.id), RULES.map((r) => r.id));
});

test('docs/rules and the README table are not stale (run `npm run docs`)', () => {
  const expected = expectedDocs(root);
  assert.ok([...expected.keys()].some((f) => f.endsWith('README.md')), 'README.md has no generated rule table markers');
  for (const [file, content] of expected) {
    assert.ok(fs.existsSync(file), `${path.relative(root, file)} is missing: run npm run docs`);
    assert.equal(fs.readFileSync(file, 'utf8'), content, `${path.relative(root, file)} is stale: run npm run docs`);
  }
});

test('the JSON Schema lists exactly the allocator keys the configuration reads', () => {
  const schema = JSON.parse(fs.readFileSync(path.join(root, 'schemas', 'failpath.schema.json'), 'utf8'));
  assert.deepEqual(Object.keys(schema.properties.allocators.items.properties).sort(), [...ALLOCATOR_KEYS].sort());
});
