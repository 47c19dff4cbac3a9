// What the exploration of one allocation site observed. Rules read this; they never walk paths themselves.
import type { Syntax } from '../parse/syntax';
import type { FunctionSyntax } from '../parse/functions';
import type { AllocationSite } from './site';
import type { Value } from './state';

/** A place in the source (a Syntax node, or the closing brace of a function). */
export interface Span {
  line: number;
  col: number;
  endLine: number;
  endCol: number;
}

/** How a test looks at the allocation: `!p`/`p == NULL`, IS_ERR(p), `p == MAP_FAILED`, the returned status. */
export type TestKind = 'null' | 'is-err' | 'is-err-or-null' | 'map-failed' | 'status' | 'status-sign';

export interface UseEvent {
  /** Where the use is reported: the use itself, or the call in the analysed function that leads to it. */
  at: Span;
  /** The use inside a callee, when `at` is the call. */
  inner?: Span;
  innerFunction?: string;
  /** When the use is in another file's function (`inner` lies there), that file and the calls that lead to it. */
  innerFile?: string;
  chain?: string[];
  /** The use came after a failure test on the same path (it is on the failure branch itself). */
  afterTest: boolean;
  /** A later failure test of the same value, on the same path (use-before-check). */
  laterTest?: Span;
}

export interface TestEvent {
  at: Span;
  kind: TestKind;
  /** The status of an out-argument allocator had been tested before this pointer test. */
  statusTestedBefore: boolean;
  /** The test is inside an inlined callee (`at` is the call that leads to it). */
  inCallee?: boolean;
}

export interface ExitEvent {
  at: Span;
  /** How the path leaves: a goto, a return, or the end of the function. */
  via: 'goto' | 'return' | 'end';
  /** The return statement (or closing brace) where the path finally leaves. */
  exitAt: Span;
  errorPath: boolean;
  /** The failure was recorded where the caller reads it before the path left (failure paths only). */
  reported: boolean;
  returned: Value | undefined;
}

/** One failure-world path, recorded when the site is simulated (DESIGN §7). */
export interface FailurePath {
  /** Top-level CFG node ids in the order the path ran them. */
  nodes: number[];
  exit: ExitEvent;
  /** Where the path dereferenced the failed result (and stopped making sense). */
  crashAt?: Span;
  /** A test on the path noticed the failure. */
  noticed: boolean;
}

export interface SiteOutcome {
  site: AllocationSite;
  fn: FunctionSyntax;
  uses: Map<string, UseEvent>;
  tests: Map<string, TestEvent>;
  /** Success-world exits that leave the allocation owned and unreleased. */
  leaks: Map<string, ExitEvent>;
  /** Failure-world exits where the untested result was stored for the caller (for failure-swallowed). */
  storedUntested: Map<string, ExitEvent>;
  /** Failure-world exits after the failure was noticed (for failure-swallowed). */
  failureExits: Map<string, ExitEvent>;
  /** Tests that a failure passed undetected, on a path that never noticed the failure (span keys). */
  undetectedTests: Set<string>;
  /** The last reference to the owned allocation was overwritten here. */
  lost: Map<string, Span>;
  /** Some failure-world path returns from the function (rather than aborting). */
  failureReturns: boolean;
  /** Failure-world paths, only when the exploration traced them (simulation). */
  failurePaths?: FailurePath[];
  /** False when the exploration hit its budget (the function is too large to follow every path). */
  complete: boolean;
}

export function spanKey(s: Span): string {
  return `${s.line}:${s.col}`;
}

export function spanOf(n: Syntax): Span {
  return { line: n.line, col: n.col, endLine: n.endLine, endCol: n.endCol };
}
