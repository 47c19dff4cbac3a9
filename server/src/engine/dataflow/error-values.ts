// Which returned spellings and labels are errors, by name: the dataflow asks whether an exit is an error path, the
// rules whether a function reports errors at all. Both read the same names.
import { walk, type Syntax } from '../parse/syntax';

/** Labels a jump to which is an error path (`err_free_rx:`, `fail:`, `out_free:`, `unwind:`). */
export const ERROR_LABEL = /(^|_)(err|errs|error|errout|fail|failed|failure|bad|nomem|enomem|oom|unwind|undo|rollback|abort|eexit)|^(out_)?(free|put|release|destroy|unmap|dealloc|kfree|unreg|unregister|disable|del)/i;

/** Constants that name a failure (`REDIS_ERR`, `CURLE_OUT_OF_MEMORY`, `SSH_ERR_ALLOC_FAIL`, `E_FAIL`). */
const NAMED_FAILURE = /^[A-Z][A-Z0-9_]*(ERR|ERROR|FAIL|FAILED|FAILURE|NOMEM|OUT_OF_MEMORY|ENOMEM|INVALID)[A-Z0-9_]*$|^(FALSE|E_[A-Z]+)$/;
/** errno values returned as they are (`return EINVAL;`, POSIX style; `EOF`), and the codes of libraries where every
 *  code but `…_OK` is an error: curl's CURLcode and kin (`CURLE_URL_MALFORMAT`), libgit2's `GIT_ENOTFOUND`. */
const FAILURE_CODE = /^(E[A-Z0-9]{2,}|CURL(E|M|SH|UE|HE)_[A-Z0-9_]+|GIT_E[A-Z0-9_]+)$/;

export function isErrorConstant(name: string): boolean {
  return NAMED_FAILURE.test(name) || (FAILURE_CODE.test(name) && !name.endsWith('_OK'));
}

/** Calls that record an error or an OOM (libxml2's `xmlXPathPErrMemory(ctxt)`, `set_error(err, …)`). */
const RECORDS_FAILURE = /(err|error)\w*mem|mem\w*(err|error)|out_?of_?memory|oom|nomem|set_?error|propagate_?error/i;

/** Whether a call records the failure where the function's caller reads it: a reporter of errors or OOM given one
 *  of the function's parameters (libxml2 keeps OOM in the context its caller checks). A message to a log
 *  (`pr_err("…")`) tells the caller nothing. */
export function recordsFailure(callee: string, args: readonly Syntax[], params: readonly string[]): boolean {
  if (!RECORDS_FAILURE.test(callee)) return false;
  let found = false;
  for (const a of args) {
    walk(a, (n) => {
      if (n.type === 'identifier' && n.text && params.includes(n.text)) found = true;
      return !found;
    });
  }
  return found;
}

/** `return -1;`, `return false;`, `return ret;` (a status variable), `ret = -EINVAL;`. Returns in parentheses
 *  (`return(-1);`, libxml2's style) are left out: counted, they made libxml2's boolean and 1-for-success functions
 *  status functions (80 more `failure-swallowed` findings there; most of those read were false). */
const ERROR_RETURN = /\breturn\s+(-\s*\w+|false|FALSE|NULL|ret|rc|err|error|res|result|status|rv|retval)\s*;|=\s*-\s*(E[A-Z0-9]+|\d+)\s*;/;
const RETURNED_CONSTANT = /\breturn\s+([A-Z][A-Z0-9_]*)\s*;/g;

/** Whether a function's text returns an error somewhere: only then is a success returned on a failure path a
 *  swallowed failure (a function that returns 0 on every path reports nothing). */
export function returnsErrors(text: string): boolean {
  if (ERROR_RETURN.test(text)) return true;
  for (const m of text.matchAll(RETURNED_CONSTANT)) if (isErrorConstant(m[1])) return true;
  return false;
}
