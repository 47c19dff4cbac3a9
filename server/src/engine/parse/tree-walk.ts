// A cursor walk over a tree-sitter tree that calls the parser's wasm exports directly. web-tree-sitter's TreeCursor
// copies its four-word state into the wasm transfer buffer before every call and back after every move, through
// emscripten's generic setValue/getValue: on a whole-tree copy that is most of the cost of the walk. The C side
// keeps the cursor in that buffer between calls (a move writes it back, a getter only reads it), so a walk that
// makes no other parser call in between needs to write the state once, at the start.
import type { Node as TsNode, TreeCursor } from 'web-tree-sitter';

/** The parts of web-tree-sitter's emscripten module a walk calls: the object given to `Parser.init` becomes it. */
interface CursorExports {
  HEAP32: Int32Array;
  _ts_init(): number;
  _ts_tree_cursor_goto_first_child_wasm(tree: number): number;
  _ts_tree_cursor_goto_next_sibling_wasm(tree: number): number;
  _ts_tree_cursor_goto_parent_wasm(tree: number): number;
  _ts_tree_cursor_current_node_type_id_wasm(tree: number): number;
  _ts_tree_cursor_current_node_is_missing_wasm(tree: number): number;
  _ts_tree_cursor_current_node_is_named_wasm(tree: number): number;
  _ts_tree_cursor_start_index_wasm(tree: number): number;
  _ts_tree_cursor_end_index_wasm(tree: number): number;
  _ts_tree_cursor_current_field_id_wasm(tree: number): number;
  _ts_tree_cursor_delete_wasm(tree: number): void;
}

const CALLED: Array<keyof CursorExports> = [
  '_ts_init', '_ts_tree_cursor_goto_first_child_wasm', '_ts_tree_cursor_goto_next_sibling_wasm', '_ts_tree_cursor_goto_parent_wasm',
  '_ts_tree_cursor_current_node_type_id_wasm', '_ts_tree_cursor_current_node_is_missing_wasm', '_ts_tree_cursor_current_node_is_named_wasm',
  '_ts_tree_cursor_start_index_wasm', '_ts_tree_cursor_end_index_wasm', '_ts_tree_cursor_current_field_id_wasm', '_ts_tree_cursor_delete_wasm',
];

let direct: { exports: CursorExports; transferWord: number } | undefined;

/** Called with the object `Parser.init` was given, once it resolved. A web-tree-sitter whose module does not look
 *  like this one's leaves every walk on the public TreeCursor (the same results, slower). */
export function useCursorExports(module: object): void {
  const m = module as Partial<CursorExports>;
  if (!(m.HEAP32 instanceof Int32Array) || CALLED.some((k) => typeof m[k] !== 'function')) return;
  const exports = m as CursorExports;
  direct = { exports, transferWord: exports._ts_init() >> 2 };
}

/** Whether walks call the wasm directly (tests assert that the fast path is the one in use). */
export function walksDirectly(): boolean {
  return direct !== undefined;
}

/**
 * A pre-order walk from `node`, which must not be interleaved with any other call into the parser (the transfer
 * buffer holds the cursor). `done()` frees the cursor.
 */
export class TreeWalk {
  private readonly tree: number;
  private readonly wasm: CursorExports | undefined;
  private constructor(private readonly cursor: TreeCursor) {
    this.wasm = direct?.exports;
    this.tree = (cursor as unknown as { tree: ArrayLike<number> }).tree[0];
    if (this.wasm) {
      const state = cursor as unknown as ArrayLike<number>;
      const heap = this.wasm.HEAP32; // read now: the views are replaced when the wasm memory grows
      for (let i = 0; i < 4; i++) heap[direct!.transferWord + i] = state[i];
    }
  }

  static from(node: TsNode): TreeWalk {
    return new TreeWalk(node.walk());
  }

  typeId(): number {
    return this.wasm ? this.wasm._ts_tree_cursor_current_node_type_id_wasm(this.tree) : this.cursor.nodeTypeId;
  }
  startIndex(): number {
    return this.wasm ? this.wasm._ts_tree_cursor_start_index_wasm(this.tree) : this.cursor.startIndex;
  }
  endIndex(): number {
    return this.wasm ? this.wasm._ts_tree_cursor_end_index_wasm(this.tree) : this.cursor.endIndex;
  }
  fieldId(): number {
    return this.wasm ? this.wasm._ts_tree_cursor_current_field_id_wasm(this.tree) : this.cursor.currentFieldId;
  }
  isNamed(): boolean {
    return this.wasm ? this.wasm._ts_tree_cursor_current_node_is_named_wasm(this.tree) === 1 : this.cursor.nodeIsNamed;
  }
  isMissing(): boolean {
    return this.wasm ? this.wasm._ts_tree_cursor_current_node_is_missing_wasm(this.tree) === 1 : this.cursor.nodeIsMissing;
  }
  firstChild(): boolean {
    return this.wasm ? this.wasm._ts_tree_cursor_goto_first_child_wasm(this.tree) === 1 : this.cursor.gotoFirstChild();
  }
  nextSibling(): boolean {
    return this.wasm ? this.wasm._ts_tree_cursor_goto_next_sibling_wasm(this.tree) === 1 : this.cursor.gotoNextSibling();
  }
  parent(): boolean {
    return this.wasm ? this.wasm._ts_tree_cursor_goto_parent_wasm(this.tree) === 1 : this.cursor.gotoParent();
  }
  done(): void {
    if (!this.wasm) return this.cursor.delete();
    // The state in the transfer buffer is the cursor's current one (its stack may have been reallocated).
    this.wasm._ts_tree_cursor_delete_wasm(this.tree);
  }
}
