// File-static pointer variables that nothing in the file ever releases, returns or hands to a call: memory
// stored there can never be freed, so storing an allocation there does not let it escape (it leaks).
// Anything else done with the variable (`g->f`, `return g`, `f(g)`, `&g`) keeps the usual rule: it escapes.
import type { Node as TsNode, Tree } from 'web-tree-sitter';
import { hasStaticStorage, type FunctionCandidate } from '../parse/functions';
import type { Catalogue } from '../catalogue/catalogue';

export function unreleasedStatics(tree: Tree, functions: FunctionCandidate[], text: string, catalogue: Catalogue): Set<string> {
  const candidates: string[] = [];
  for (const d of tree.rootNode.namedChildren) {
    if (d?.type !== 'declaration') continue;
    if (!hasStaticStorage(d)) continue;
    for (const decl of d.childrenForFieldName('declarator')) {
      const inner = decl?.type === 'init_declarator' ? decl.childForFieldName('declarator') : decl;
      if (inner?.type !== 'pointer_declarator') continue;
      const name = inner.childForFieldName('declarator');
      if (name?.type === 'identifier') candidates.push(name.text);
    }
  }
  const out = new Set<string>();
  for (const g of candidates) {
    const mention = new RegExp(`\\b${g}\\b`);
    let ok = true;
    for (const f of functions) {
      if (!ok) break;
      const body = text.slice(f.start, f.end);
      if (!mention.test(body)) continue;
      for (const id of f.node.descendantsOfType('identifier')) {
        if (!id || id.text !== g) continue;
        const local = copiedInto(id);
        if (local === null) continue; // written
        if (local === undefined || releases(body, local, catalogue)) {
          ok = false;
          break;
        }
      }
    }
    if (ok) out.add(g);
  }
  return out;
}

/** null: `g` is written here; a name: `g` is copied into that local; undefined: any other use. */
function copiedInto(id: TsNode): string | null | undefined {
  const parent = id.parent;
  if (!parent) return undefined;
  if (parent.type === 'assignment_expression') {
    if (parent.childForFieldName('left')?.equals(id)) return null;
    const l = parent.childForFieldName('left');
    if (parent.childForFieldName('right')?.equals(id) && l?.type === 'identifier') return l.text;
    return undefined;
  }
  if (parent.type === 'init_declarator' && parent.childForFieldName('value')?.equals(id)) {
    let d = parent.childForFieldName('declarator');
    while (d && d.type !== 'identifier') d = d.childForFieldName('declarator');
    return d?.text;
  }
  return undefined;
}

function releases(body: string, local: string, catalogue: Catalogue): boolean {
  const calls = body.matchAll(new RegExp(`\\b([A-Za-z_]\\w*)\\s*\\([^;]*\\b${local}\\b`, 'g'));
  for (const m of calls) if (catalogue.releaser(m[1]) || /free|release|destroy|put|unref/i.test(m[1])) return true;
  return false;
}
