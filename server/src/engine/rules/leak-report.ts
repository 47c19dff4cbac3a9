// Shared by `leak` and `leak-on-error-path`: both read the same exits and differ by the kind of path.
// One finding per allocation and rule, at the first exit that leaks it; the other exits are related locations,
// so a resource leaked by a dozen returns is one finding to read, not a dozen.
import { allocatedHere, type SiteReport, type SiteRuleContext } from './rule';
import type { ExitEvent } from '../dataflow/outcome';

const MAX_RELATED_EXITS = 10;

export function reportLeaks(ctx: SiteRuleContext, errorPaths: boolean, report: (r: SiteReport) => void): void {
  const exits = new Map<string, ExitEvent>();
  for (const exit of ctx.outcome.leaks.values()) {
    const key = `${exit.at.line}:${exit.at.col}`;
    if (exit.errorPath === errorPaths && !exits.has(key)) exits.set(key, exit);
  }
  const sorted = [...exits.values()].sort((a, b) => a.at.line - b.at.line || a.at.col - b.at.col);
  const [first, ...others] = sorted;
  if (!first) return;
  const related = [allocatedHere(ctx)];
  if (first.via === 'goto') related.push({ at: first.exitAt, message: 'the function returns here' });
  for (const o of others.slice(0, MAX_RELATED_EXITS)) related.push({ at: o.at, message: 'also leaves here without releasing it' });
  const how = first.via === 'goto' ? 'this jump leaves' : first.via === 'return' ? 'this return leaves' : 'the function ends';
  const more = others.length ? ` (and ${others.length} more exit${others.length > 1 ? 's' : ''})` : '';
  report({
    at: first.at,
    message: `${how} ${errorPaths ? 'on an error path ' : ''}without releasing the memory from ${ctx.outcome.site.callee}()${more}`,
    related,
  });
}
