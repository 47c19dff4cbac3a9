// The configuration of a document: the nearest `.failpath.json` (DESIGN §5) when there is one, else the
// editor's `failpath.*` settings (validated by the same parser). Configuration is data only.
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
  codeLens?: { enabled?: boolean };
  timeBudgetMs?: number;
}

const CONFIG_KEYS = ['profiles', 'policy', 'rules', 'exclude', 'allocators', 'noAlloc'] as const;

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

  /** A `.failpath.json` changed on disk: read them again. */
  reloadFiles(): void {
    this.resolver = new ConfigResolver(RULE_IDS);
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
    const key = JSON.stringify(picked);
    if (key !== this.settingsKey || !this.fromSettings) {
      this.settingsKey = key;
      const { config, problems } = parseConfig(key, 'settings (failpath.*)', RULE_IDS);
      this.fromSettings = { config, problems };
    }
    return this.fromSettings;
  }
}
