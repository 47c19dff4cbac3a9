// The configuration of a document: the nearest `.failpath.json` (DESIGN §5) when there is one, else the
// editor's `failpath.*` settings (validated by the same parser). Configuration is data only.
import * as fs from 'node:fs';
import { parseConfig, type ConfigProblem, type FailpathConfig } from '../engine/config/config';
import { ConfigResolver } from '../engine/config/discovery';
import { RULE_IDS } from '../engine/rules/registry';

/** The `failpath` settings section as the client sends it. */
export interface ClientSettings {
  profiles?: string[];
  policy?: string;
  rules?: Record<string, string>;
  exclude?: string[];
  allocators?: unknown[];
  noAlloc?: string[];
  cppcheckLibraries?: string[];
  codeLens?: { enabled?: boolean };
  timeBudgetMs?: number;
}

const CONFIG_KEYS = ['profiles', 'policy', 'rules', 'exclude', 'allocators', 'noAlloc', 'cppcheckLibraries'] as const;

export interface DocumentConfig {
  config: FailpathConfig;
  /** The `.failpath.json` it came from, if any. */
  file?: string;
  problems: ConfigProblem[];
}

export class Settings {
  private resolver = new ConfigResolver(RULE_IDS);
  private fromSettings: DocumentConfig | undefined;
  private settingsKey = '';

  /** `folderOf`: the workspace folder of a file (the settings' cppcheck libraries are relative to it). */
  constructor(private readonly folderOf: (file: string) => string | undefined = () => undefined) {}

  /** A `.failpath.json` or a cppcheck library changed on disk: read them again. */
  reloadFiles(): void {
    this.resolver = new ConfigResolver(RULE_IDS);
    this.fromSettings = undefined;
  }

  forFile(file: string, settings: ClientSettings): DocumentConfig {
    const resolved = this.resolver.forFile(file);
    if (resolved.file) return resolved;
    const picked: Record<string, unknown> = {};
    for (const k of CONFIG_KEYS) {
      const v = settings[k];
      // Empty settings mean "not set": the defaults apply.
      if (v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0 && k === 'profiles') && !(typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0)) picked[k] = v;
    }
    const text = JSON.stringify(picked);
    const folder = picked.cppcheckLibraries ? this.folderOf(file) : undefined;
    const key = `${folder ?? ''}\0${text}`;
    if (key !== this.settingsKey || !this.fromSettings) {
      this.settingsKey = key;
      const reader = folder ? { baseDir: folder, read: (f: string) => fs.readFileSync(f, 'utf8') } : undefined;
      const { config, problems } = parseConfig(text, 'settings (failpath.*)', RULE_IDS, reader);
      this.fromSettings = { config, problems };
    }
    return this.fromSettings;
  }
}
