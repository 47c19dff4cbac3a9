// Phase 1 of callee effects: what a function does, read from its body alone, to what its callers give it (its
// parameters, what they point to, their members and elements) and to the globals it reads: which it dereferences
// without testing, releases, or keeps where they outlive the call, and to which functions it passes them on.
// Plain data, resolved across the files of a run by `resolveEffects` (param-effects.ts). Flow-insensitive and
// deliberately one-sided: a test anywhere clears a dereference, a release on any path counts, so callers are told
// less rather than wrong.
import { child, calleeName, callArgs, unwrap, walk, type Syntax } from '../parse/syntax';
import { innermostIdentifier, type FunctionSyntax } from '../parse/functions';
import type { Catalogue } from '../catalogue/catalogue';

/**
 * A place a caller can see, relative to one of the function's roots: `0` (parameter 0 itself), `0*` (what it
 * points to: the caller passed `&p`), `0->f`, `0[2]` (an element of an array parameter), `0.f` (a member of a
 * struct passed by value), `0?` (anything reachable through parameter 0 but itself), `g:name` (a global).
 */
export type EffectPath = string;

export interface DerefSite {
  path: EffectPath;
  line: number;
  col: number;
  endLine: number;
  endCol: number;
}

/** A root handed to another function's argument (`sink(data)`, `sink(&data)` is `addr`). */
export interface Pass {
  path: EffectPath;
  callee: string;
  arg: number;
  addr?: boolean;
}

export interface ParamSummary {
  name: string;
  isStatic: boolean;
  derefs: DerefSite[];
  /** Places tested anywhere in the function (a dereference passed on to a callee is then not reported either). */
  tested: EffectPath[];
  releases: EffectPath[];
  keeps: EffectPath[];
  passes: Pass[];
}

/** Longer functions are not summarised (a sink, a destructor and a container add are small). */
export const MAX_SUMMARY_LINES = 80;

/** Root and access of a path: `0->f` → ['0', '->f'], `g:x` → ['g:x', '']. */
export function splitPath(path: EffectPath): [string, string] {
  let parts = splitPaths.get(path);
  if (!parts) {
    const m = path.startsWith('g:') ? null : /^(\d+)(.*)$/.exec(path);
    splitPaths.set(path, (parts = m ? [m[1], m[2]] : [path, '']));
  }
  return parts;
}
const splitPaths = new Map<EffectPath, [string, string]>();

export function summariseParams(fn: FunctionSyntax, catalogue: Catalogue, fileStatics: ReadonlySet<string>): ParamSummary | undefined {
  const params = new Map(fn.params.map((p, i) => [p, i]));
  const reassigned = new Set<number>();
  const aliases = new Map<string, EffectPath | null>();
  const isLocal = (name: string) => fn.locals.has(name);

  // The place an expression names: a root, or one access away from one (`*p`, `p->f`, `p[2]`, `s.f`).
  const pathOf = (e: Syntax | undefined): EffectPath | undefined => {
    if (!e) return undefined;
    let u = unwrap(e);
    if (u.type === 'binary_expression' && (u.op === '+' || u.op === '-')) u = unwrap(child(u, 'left') ?? u);
    switch (u.type) {
      case 'identifier': {
        const name = u.text ?? '';
        const p = params.get(name);
        if (p !== undefined) return reassigned.has(p) ? undefined : String(p);
        if (isLocal(name)) return aliases.get(name) ?? undefined;
        if (/^[A-Z_0-9]+$/.test(name) || fileStatics.has(name)) return undefined;
        return `g:${name}`;
      }
      case 'pointer_expression': {
        if (u.op !== '*') return undefined;
        const base = pathOf(child(u, 'argument'));
        return base !== undefined && !base.startsWith('g:') && splitPath(base)[1] === '' ? `${base}*` : undefined;
      }
      case 'subscript_expression': {
        const base = pathOf(child(u, 'argument'));
        const i = child(u, 'index');
        if (base === undefined || base.startsWith('g:') || splitPath(base)[1] !== '') return undefined;
        return i && /^\d+$/.test(i.text ?? '') ? `${base}[${i.text}]` : `${base}?`;
      }
      case 'field_expression': {
        const base = pathOf(child(u, 'argument'));
        const field = child(u, 'field')?.text;
        if (base === undefined || base.startsWith('g:') || !field || splitPath(base)[1] !== '') return undefined;
        return `${base}${u.op === '->' ? '->' : '.'}${field}`;
      }
      default:
        return undefined;
    }
  };

  // Parameters assigned anywhere no longer hold what the caller gave; locals assigned only from one place alias it
  // (`char *data = *dataPtr;`). Source order, so an alias of an alias resolves.
  const assignments: Array<[string, Syntax | undefined]> = [];
  walk(fn.body, (n) => {
    if (n.type === 'assignment_expression') {
      const l = unwrap(child(n, 'left') ?? n);
      if (l.type === 'identifier') assignments.push([l.text ?? '', n.op === '=' ? child(n, 'right') : undefined]);
    } else if (n.type === 'update_expression') {
      const a = unwrap(child(n, 'argument') ?? n);
      if (a.type === 'identifier') assignments.push([a.text ?? '', undefined]);
    } else if (n.type === 'init_declarator') {
      const d = child(n, 'declarator');
      const name = d ? innermostIdentifier(d) : undefined;
      if (name) assignments.push([name, child(n, 'value')]);
    } else if (n.type === 'pointer_expression' && n.op === '&') {
      const a = unwrap(child(n, 'argument') ?? n);
      if (a.type === 'identifier') assignments.push([a.text ?? '', undefined]); // may be written through
    }
  });
  for (const [name] of assignments) {
    const p = params.get(name);
    if (p !== undefined && !isLocal(name)) reassigned.add(p);
  }
  for (const [name, value] of assignments) {
    if (!isLocal(name) || params.has(name)) continue;
    const path = pathOf(value);
    const prev = aliases.get(name);
    aliases.set(name, path === undefined || (prev !== undefined && prev !== path) ? null : path);
  }

  const derefs: DerefSite[] = [];
  const tested = new Set<EffectPath>();
  const releases = new Set<EffectPath>();
  const keeps = new Set<EffectPath>();
  const passes: Pass[] = [];
  const deref = (e: Syntax | undefined, at: Syntax) => {
    const path = pathOf(e);
    if (path !== undefined) derefs.push({ path, line: at.line, col: at.col, endLine: at.endLine, endCol: at.endCol });
  };
  const markTested = (cond: Syntax | undefined) => {
    if (!cond) return;
    const u = unwrap(cond);
    if (u.type === 'unary_expression' && u.op === '!') return markTested(child(u, 'argument'));
    if (u.type === 'binary_expression' && ['&&', '||', '==', '!='].includes(u.op ?? '')) {
      markTested(child(u, 'left'));
      markTested(child(u, 'right'));
      return;
    }
    if (u.type === 'assignment_expression') return markTested(child(u, 'right'));
    const path = pathOf(u);
    if (path !== undefined) tested.add(path);
  };
  // A write through a place replaces what the caller's pointer there held.
  const written = (l: Syntax) => {
    const u = unwrap(l);
    if (u.type === 'identifier') return;
    const path = pathOf(u);
    if (path !== undefined && !path.startsWith('g:') && splitPath(path)[1] !== '') keeps.add(path);
    else if (u.type === 'subscript_expression' || u.type === 'pointer_expression' || u.type === 'field_expression') {
      const base = pathOf(child(u, 'argument'));
      if (base !== undefined && !base.startsWith('g:') && splitPath(base)[1] === '') keeps.add(`${base}?`);
    }
  };

  walk(fn.body, (n) => {
    switch (n.type) {
      case 'sizeof_expression':
      case 'alignof_expression':
        return false; // not evaluated
      case 'field_expression':
        if (n.op === '->') deref(child(n, 'argument'), n);
        break;
      case 'pointer_expression':
        if (n.op === '*') deref(child(n, 'argument'), n);
        break;
      case 'subscript_expression':
        deref(child(n, 'argument'), n);
        break;
      case 'if_statement':
      case 'while_statement':
      case 'do_statement':
      case 'for_statement':
      case 'switch_statement':
      case 'conditional_expression':
        markTested(child(n, 'condition'));
        break;
      case 'binary_expression':
        if (n.op === '&&' || n.op === '||') markTested(child(n, 'left'));
        break;
      case 'assignment_expression': {
        const l = child(n, 'left');
        if (l) written(l);
        const path = pathOf(child(n, 'right'));
        const lu = l ? unwrap(l) : undefined;
        if (path !== undefined && lu && !(lu.type === 'identifier' && isLocal(lu.text ?? ''))) keeps.add(path);
        break;
      }
      case 'init_declarator':
      case 'initializer_list':
        if (n.type === 'initializer_list') for (const c of n.children) {
          const path = pathOf(c.type === 'initializer_pair' ? c.children[c.children.length - 1] : c);
          if (path !== undefined) keeps.add(path);
        }
        break;
      case 'return_statement': {
        const path = pathOf(n.children[0]);
        if (path !== undefined) keeps.add(path);
        break;
      }
      case 'call_expression': {
        const name = calleeName(n);
        const args = callArgs(n);
        if (!name) {
          // Through a function pointer: anything could happen to what it is given.
          for (const a of args) {
            const path = pathOf(a);
            if (path !== undefined) keeps.add(path);
            if (path !== undefined && splitPath(path)[1] === '' && !path.startsWith('g:')) keeps.add(`${path}?`);
          }
          break;
        }
        const check = catalogue.check(name);
        if (check) {
          args.forEach(markTested);
          break;
        }
        const rel = catalogue.releaser(name);
        if (rel) {
          const target = args[rel.arg ?? 0];
          const path = rel.byAddress ? addrPath(target) : pathOf(target);
          if (path !== undefined) releases.add(path);
          break;
        }
        const alloc = catalogue.allocator(name);
        if (alloc) {
          for (const i of [alloc.reallocArg, alloc.consumesArg]) {
            const path = i !== undefined ? pathOf(args[i]) : undefined;
            if (path !== undefined) keeps.add(path);
          }
          break;
        }
        const derefArgs = catalogue.dereferencedArgs(name);
        for (const i of derefArgs ?? []) deref(args[i], n);
        for (const i of catalogue.keptArgs(name) ?? []) {
          const path = pathOf(args[i]);
          if (path !== undefined) keeps.add(path);
        }
        if (derefArgs || catalogue.isNoreturn(name)) break;
        args.forEach((a, i) => {
          const path = pathOf(a);
          if (path !== undefined) passes.push({ path, callee: name, arg: i });
          else {
            const addr = addrPath(a);
            if (addr !== undefined) passes.push({ path: addr, callee: name, arg: i, addr: true });
          }
        });
        break;
      }
    }
  });
  // `&x` where x names a place (`&data` with data an alias of `*dataPtr`).
  function addrPath(e: Syntax | undefined): EffectPath | undefined {
    const u = e ? unwrap(e) : undefined;
    return u?.type === 'pointer_expression' && u.op === '&' ? pathOf(child(u, 'argument')) : undefined;
  }
  const untested = derefs.filter((d) => !tested.has(d.path));
  if (!untested.length && !releases.size && !keeps.size && !passes.length) return undefined;
  return {
    name: fn.name, isStatic: fn.isStatic, derefs: untested, tested: [...tested].sort(),
    releases: [...releases].sort(), keeps: [...keeps].sort(), passes,
  };
}
