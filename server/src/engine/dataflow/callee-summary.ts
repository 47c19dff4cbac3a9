// What a same-file function does to its pointer parameters, read from its body: used for calls that are not
// inlined (nested in expressions, too deep, too large).
import { child, calleeName, callArgs, unwrap, walk, type Syntax } from '../parse/syntax';
import type { FunctionSyntax } from '../parse/functions';
import type { Catalogue } from '../catalogue/catalogue';
import type { CalleeEffects } from './param-effects';

export interface CalleeSummary {
  /** Parameters dereferenced without ever being tested. */
  derefsParam: Set<number>;
  releasesParam: Set<number>;
  /** Parameters stored where they outlive the call (a field, a global, through a pointer). */
  storesParam: Set<number>;
  /** A condition reads a variable that is not local (a flag set by the caller). */
  readsGlobals: boolean;
  /** The variables that are not local that its conditions read (not the functions they call). */
  conditionGlobals: Set<string>;
  /** It assigns a variable that is not local (or a member or element of one). */
  writesGlobals: boolean;
  callees: string[];
}

export function summarize(fn: FunctionSyntax, catalogue: Catalogue, calleeEffects?: ReadonlyMap<string, CalleeEffects>): CalleeSummary {
  const index = new Map(fn.params.map((p, i) => [p, i]));
  const derefed = new Set<number>();
  const tested = new Set<number>();
  const releases = new Set<number>();
  const stores = new Set<number>();
  const callees = new Set<string>();
  let readsGlobals = false;
  const conditionGlobals = new Set<string>();
  let writesGlobals = false;
  // `p`, `(char *) p`, and `p - PREFIX` (a wrapper's `free((char *) ptr - PREFIX_SIZE)` releases `ptr`).
  const paramOf = (e: Syntax | undefined): number | undefined => {
    if (!e) return undefined;
    let u = unwrap(e);
    if (u.type === 'binary_expression' && (u.op === '+' || u.op === '-')) u = unwrap(child(u, 'left') ?? u);
    return u.type === 'identifier' ? index.get(u.text ?? '') : undefined;
  };
  const isLocal = (name: string) => fn.locals.has(name) || index.has(name);
  const markTested = (cond: Syntax) => {
    walk(cond, (n) => {
      const p = paramOf(n);
      if (p !== undefined) tested.add(p);
      if (n.type === 'identifier' && !isLocal(n.text ?? '') && !/^[A-Z_0-9]+$/.test(n.text ?? '')) {
        readsGlobals = true;
        if (n.field !== 'function') conditionGlobals.add(n.text!);
      }
      return n.type !== 'call_expression' || true;
    });
  };
  /** `g = …`, `g->f = …`, `g[i]++`: the variable at the root of the target is not local. */
  const assignsGlobal = (target: Syntax | undefined): boolean => {
    let u = target && unwrap(target);
    while (u && (u.type === 'field_expression' || u.type === 'subscript_expression' || u.type === 'pointer_expression')) u = child(u, 'argument') && unwrap(child(u, 'argument')!);
    return u?.type === 'identifier' && !isLocal(u.text ?? '') && !/^[A-Z_0-9]+$/.test(u.text ?? '');
  };
  walk(fn.body, (n) => {
    switch (n.type) {
      case 'field_expression': {
        const p = n.op === '->' ? paramOf(child(n, 'argument')) : undefined;
        if (p !== undefined) derefed.add(p);
        break;
      }
      case 'pointer_expression':
      case 'subscript_expression': {
        if (n.type === 'pointer_expression' && n.op !== '*') break;
        const p = paramOf(child(n, 'argument'));
        if (p !== undefined) derefed.add(p);
        break;
      }
      case 'if_statement':
      case 'while_statement':
      case 'do_statement':
      case 'switch_statement':
      case 'conditional_expression': {
        const c = child(n, 'condition');
        if (c) markTested(c);
        break;
      }
      case 'binary_expression':
        if (n.op === '&&' || n.op === '||') {
          const l = child(n, 'left');
          if (l) markTested(l);
        }
        break;
      case 'update_expression':
        if (assignsGlobal(child(n, 'argument'))) writesGlobals = true;
        break;
      case 'assignment_expression': {
        const p = paramOf(child(n, 'right'));
        const l = child(n, 'left');
        if (assignsGlobal(l)) writesGlobals = true;
        if (p !== undefined && l && !(unwrap(l).type === 'identifier' && isLocal(unwrap(l).text ?? ''))) stores.add(p);
        break;
      }
      case 'call_expression': {
        const name = calleeName(n);
        if (!name) break;
        callees.add(name);
        const args = callArgs(n);
        const check = catalogue.check(name);
        if (check) args.forEach((a) => markTested(a));
        const rel = catalogue.releaser(name);
        if (rel) {
          const p = paramOf(args[rel.arg ?? 0]);
          if (p !== undefined) releases.add(p);
        }
        for (const i of catalogue.dereferencedArgs(name) ?? []) {
          const p = paramOf(args[i]);
          if (p !== undefined) derefed.add(p);
        }
        // Another file's function, by its inferred effects on the arguments themselves.
        const effects = calleeEffects?.get(name);
        if (effects) {
          args.forEach((a, i) => {
            const p = paramOf(a);
            if (p === undefined) return;
            if (effects.derefs.some((d) => d.path === String(i))) derefed.add(p);
            if (effects.releases.includes(String(i))) releases.add(p);
            if (effects.keeps.includes(String(i))) stores.add(p);
          });
        }
        break;
      }
    }
  });
  for (const t of tested) derefed.delete(t);
  return { derefsParam: derefed, releasesParam: releases, storesParam: stores, readsGlobals, conditionGlobals, writesGlobals, callees: [...callees] };
}
