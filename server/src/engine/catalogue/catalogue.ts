// The allocator catalogue in force for one file: the profiles its configuration loads, plus its own allocators.
import type { AllocatorSpec, CheckSpec, DerefArgsSpec, ProfileData, ReleaserSpec } from './types';
import { PROFILES } from './profiles';
import type { LibraryData } from './cppcheck-library';

/** Profiles whose allocators stay fallible under `"policy": "abort"` (DESIGN §6). */
const SYSTEM_PROFILES = new Set(['libc', 'posix']);

export interface AllocatorEntry extends AllocatorSpec {
  profile: string; // profile name, 'config', 'cppcheck' (a library file of the configuration), 'annotation' or 'inferred'
  /** Under `"policy": "abort"`, the project's own allocators abort on OOM. */
  abortsByPolicy: boolean;
}

export interface CatalogueOptions {
  profiles: string[];
  policy: 'handle' | 'abort';
  allocators: AllocatorSpec[];
  /** cppcheck library files of the configuration: added where no profile names them; `allocators` win. */
  library?: LibraryData;
  /** Wrappers inferred from the other files of the run: added where no profile or configuration names them. */
  inferred?: Array<AllocatorSpec & { declared?: boolean }>;
  /** Functions inferred to release a parameter: added where nothing else names them. */
  inferredReleasers?: ReleaserSpec[];
  /** Declared `ownership_holds`: functions that keep an argument. */
  inferredKeeps?: Array<{ name: string; arg: number }>;
  /** Declared `returns_nonnull`: functions whose result is never NULL. */
  nonnull?: string[];
}

export class Catalogue {
  private readonly allocators = new Map<string, AllocatorEntry>();
  private readonly releasers = new Map<string, ReleaserSpec>();
  private readonly checks = new Map<string, CheckSpec>();
  private readonly derefArgs = new Map<string, number[]>();
  private readonly keeps = new Map<string, number[]>();
  private readonly returned = new Map<string, number>();
  private readonly noreturn = new Set<string>();
  private readonly nonnull = new Set<string>();
  private readonly profileReleasers: Set<string>;
  readonly scopeReleaseTokens: string[] = [];
  /** Matches text that may contain a call of an allocator (cheap prefilter of whole functions). */
  readonly allocationPattern: RegExp;
  /** Matches text that may contain a call of a releaser (to find functions that release a parameter). */
  readonly releasePattern: RegExp;

  constructor(options: CatalogueOptions) {
    for (const name of options.profiles) {
      const profile: ProfileData | undefined = PROFILES[name];
      if (!profile) continue; // configuration parsing has reported it
      const abortsByPolicy = options.policy === 'abort' && !SYSTEM_PROFILES.has(name);
      for (const a of profile.allocators) this.allocators.set(a.name, { ...a, profile: name, abortsByPolicy });
      for (const r of profile.releasers) this.releasers.set(r.name, r);
      for (const c of profile.checks) this.checks.set(c.name, c);
      for (const d of profile.derefArgs) this.mergeDeref(d);
      for (const k of profile.takesOwnership ?? []) this.keeps.set(k.name, k.args);
      for (const r of profile.returnsArgument ?? []) this.returned.set(r.name, r.arg);
      for (const n of profile.noreturn) this.noreturn.add(n);
      // `__attribute__((cleanup(f)))` is recognised by its `cleanup`, not by the bare `__attribute__` token.
      for (const s of profile.scopeRelease) {
        if (s.token !== '__attribute__' && !this.scopeReleaseTokens.includes(s.token)) this.scopeReleaseTokens.push(s.token);
      }
    }
    const library = options.library;
    for (const a of library?.allocators ?? []) {
      if (!this.allocators.has(a.name)) this.allocators.set(a.name, { ...a, profile: 'cppcheck', abortsByPolicy: options.policy === 'abort' });
    }
    for (const r of library?.releasers ?? []) if (!this.releasers.has(r.name)) this.releasers.set(r.name, r);
    for (const k of library?.keeps ?? []) if (!this.keeps.has(k.name)) this.keeps.set(k.name, k.args);
    for (const n of library?.noreturn ?? []) this.noreturn.add(n);
    for (const a of options.allocators) {
      this.allocators.set(a.name, { ...a, profile: 'config', abortsByPolicy: options.policy === 'abort' });
      for (const r of a.release ?? []) if (!this.releasers.has(r)) this.releasers.set(r, { name: r });
    }
    for (const a of options.inferred ?? []) {
      const n = a.name;
      if (this.allocators.has(n) || this.releasers.has(n) || this.checks.has(n) || this.noreturn.has(n)) continue;
      // Declared in the source (annotations.ts): owned like a catalogue allocator's results.
      this.allocators.set(n, { ...a, profile: a.declared ? 'annotation' : 'inferred', abortsByPolicy: false });
    }
    this.profileReleasers = new Set(this.releasers.keys());
    for (const r of options.inferredReleasers ?? []) {
      if (!this.allocators.has(r.name) && !this.releasers.has(r.name) && !this.checks.has(r.name)) this.releasers.set(r.name, r);
    }
    for (const k of options.inferredKeeps ?? []) if (!this.keeps.has(k.name) && !this.allocators.has(k.name)) this.keeps.set(k.name, [k.arg]);
    for (const n of options.nonnull ?? []) if (!this.allocators.has(n)) this.nonnull.add(n);
    const released = [...this.releasers.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
    this.releasePattern = released.length ? new RegExp(`\\b(?:${released.join('|')})\\s*\\(`) : /$^/;
    const names = [...this.allocators.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
    this.allocationPattern = names.length ? new RegExp(`\\b(?:${names.join('|')})\\b`) : /$^/;
  }

  private mergeDeref(d: DerefArgsSpec): void {
    const prev = this.derefArgs.get(d.name) ?? [];
    this.derefArgs.set(d.name, [...new Set([...prev, ...d.args])]);
  }

  allocator(name: string): AllocatorEntry | undefined {
    return this.allocators.get(name);
  }
  releaser(name: string): ReleaserSpec | undefined {
    return this.releasers.get(name);
  }
  check(name: string): CheckSpec | undefined {
    return this.checks.get(name);
  }
  dereferencedArgs(name: string): number[] | undefined {
    return this.derefArgs.get(name);
  }
  /** Argument indexes a function keeps (takes ownership of). */
  keptArgs(name: string): number[] | undefined {
    return this.keeps.get(name);
  }
  /** The argument a function gives back (`memcpy` returns its destination), or undefined. */
  returnedArg(name: string): number | undefined {
    return this.returned.get(name);
  }
  /** Whether the catalogue itself says what `name` does (profiles and configuration, not inferred releasers). */
  describes(name: string): boolean {
    return this.allocators.has(name) || this.profileReleasers.has(name) || this.checks.has(name) || this.noreturn.has(name) || this.derefArgs.has(name);
  }
  isNoreturn(name: string): boolean {
    return this.noreturn.has(name);
  }
  /** Declared `returns_nonnull` (and no allocator): a NULL test of its result is decided. */
  returnsNonnull(name: string): boolean {
    return this.nonnull.has(name);
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
