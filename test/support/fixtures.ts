// Reads a fixture's inline expectations (`// expect: rule, rule`) and its configuration header.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_CONFIG, parseConfig, type FailpathConfig } from '../../server/src/engine/config/config';
import { RULE_IDS } from '../../server/src/engine/rules/registry';

export const FIXTURES = path.resolve(__dirname, '..', '..', 'test', 'fixtures');

export interface Fixture {
  file: string;
  text: string;
  config: FailpathConfig;
  /** `line:rule` (1-based lines), sorted. */
  expected: string[];
}

const EXPECT = /(?:\/\/|\/\*)\s*expect:\s*([a-z][a-z, -]*[a-z])/g;
const HEADER = /failpath-fixture:\s*(\{.*\})/;

export function readFixture(file: string): Fixture {
  const text = fs.readFileSync(file, 'utf8');
  const header = HEADER.exec(text.split('\n', 3).join('\n'));
  let config = DEFAULT_CONFIG;
  if (header) {
    const parsed = parseConfig(header[1], file, RULE_IDS);
    if (parsed.problems.length) throw new Error(`${file}: bad fixture header: ${parsed.problems.map((p) => p.message).join('; ')}`);
    config = parsed.config;
  }
  const expected: string[] = [];
  text.split('\n').forEach((line, i) => {
    for (const m of line.matchAll(EXPECT)) {
      for (const id of m[1].split(',').map((s) => s.trim()).filter(Boolean)) {
        if (!RULE_IDS.includes(id)) throw new Error(`${file}:${i + 1}: unknown rule in expectation: ${id}`);
        expected.push(`${i + 1}:${id}`);
      }
    }
  });
  return { file, text, config, expected: expected.sort(byLine) };
}

export function byLine(a: string, b: string): number {
  return parseInt(a, 10) - parseInt(b, 10) || a.localeCompare(b);
}

export function listFixtures(dir = FIXTURES): string[] {
  const out: string[] = [];
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listFixtures(p));
    else if (e.name.endsWith('.c')) out.push(p);
  }
  return out.sort();
}
