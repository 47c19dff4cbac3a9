// The control-flow graph of one function. Nodes are statements or condition atoms; `&&`, `||`, `!` and `?:`
// in conditions are split into branches, so the dataflow decides each atom on its own.
import type { Syntax } from '../parse/syntax';
import type { FunctionSyntax } from '../parse/functions';

export type CfgNodeKind =
  | 'entry'
  | 'exit' // falling off the end, and where every return goes
  | 'eval' // evaluates `syntax` (an expression, an init_declarator or a bare declarator)
  | 'branch' // evaluates the condition `syntax`; next = [whenTrue, whenFalse]
  | 'switch' // evaluates `syntax`; next[i] is taken for cases[i] (null = default)
  | 'goto' // `goto label`; next = [label]
  | 'label'
  | 'return' // `syntax` is the return_statement (or the check macro that returns); next = [exit]
  | 'join'; // no-op: loop heads, merge points

export interface CfgNode {
  id: number;
  kind: CfgNodeKind;
  syntax?: Syntax;
  next: number[];
  cases?: (Syntax | null)[];
  label?: string;
  /** For a `return` made by a check macro (GIT_ERROR_CHECK_ALLOC, g_return_val_if_fail): the value returned. */
  returnValue?: Syntax | 'error' | 'void';
  /** A loop's condition: leaving the loop is not an error path, whatever the test looks like. */
  loop?: boolean;
  /** The statement this node belongs to (for locations). */
  statement?: Syntax;
}

export interface Cfg {
  fn: FunctionSyntax;
  nodes: CfgNode[];
  entry: number;
  exit: number;
  /** Labels by name (goto targets). */
  labels: Map<string, number>;
  /** Variables declared with a scope-release spelling (g_autofree, __attribute__((cleanup(f))), …). */
  scopeReleased: Set<string>;
}
