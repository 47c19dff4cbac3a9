// Finds the `.failpath.json` that applies to a file: the nearest one upward, like `.clang-tidy`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_CONFIG, parseConfig, type ConfigProblem, type FailpathConfig } from './config';

export const CONFIG_FILE = '.failpath.json';

export interface ResolvedConfig {
  config: FailpathConfig;
  /** The file it came from (undefined: defaults). */
  file?: string;
  problems: ConfigProblem[];
}

export class ConfigResolver {
  private readonly byDir = new Map<string, ResolvedConfig>();
  private readonly byFile = new Map<string, ResolvedConfig>();

  constructor(private readonly knownRules: readonly string[], private readonly fixed?: string) {}

  /** The configuration for a source file (or the one given with --config). */
  forFile(file: string): ResolvedConfig {
    if (this.fixed) return this.load(this.fixed);
    return this.forDir(path.dirname(path.resolve(file)));
  }

  private forDir(dir: string): ResolvedConfig {
    const cached = this.byDir.get(dir);
    if (cached) return cached;
    const candidate = path.join(dir, CONFIG_FILE);
    let result: ResolvedConfig;
    if (fs.existsSync(candidate)) result = this.load(candidate);
    else {
      const parent = path.dirname(dir);
      result = parent === dir ? { config: DEFAULT_CONFIG, problems: [] } : this.forDir(parent);
    }
    this.byDir.set(dir, result);
    return result;
  }

  load(file: string): ResolvedConfig {
    const abs = path.resolve(file);
    const cached = this.byFile.get(abs);
    if (cached) return cached;
    let result: ResolvedConfig;
    try {
      const text = fs.readFileSync(abs, 'utf8');
      const { config, problems } = parseConfig(text, abs, this.knownRules, { baseDir: path.dirname(abs), read: (f) => fs.readFileSync(f, 'utf8') });
      result = { config, file: abs, problems };
    } catch (e) {
      result = { config: DEFAULT_CONFIG, file: abs, problems: [{ file: abs, line: 0, column: 0, key: '', message: `cannot read: ${(e as Error).message}` }] };
    }
    this.byFile.set(abs, result);
    return result;
  }

  /** Every problem of every configuration file loaded so far. */
  problems(): ConfigProblem[] {
    return [...this.byFile.values()].flatMap((r) => r.problems);
  }
}
