// Shared by `leak` and `leak-on-error-path`: both read the same exits and differ by the kind of path.
import { allocatedHere, type SiteReport, type SiteRuleContext } from './rule';

export function reportLeaks(ctx: SiteRuleContext, errorPaths: boolean, report: (r: SiteReport) => void): void {
  const seen = new Set<string>();
  for (const exit of ctx.outcome.leaks.values()) {
    if (exit.errorPath !== errorPaths) continue;
    const key = `${exit.at.line}:${exit.at.col}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const related = [allocatedHere(ctx)];
    if (exit.via === 'goto') related.push({ at: exit.exitAt, message: 'the function returns here' });
    const how = exit.via === 'goto' ? 'this jump leaves' : exit.via === 'return' ? 'this return leaves' : 'the function ends';
    report({
      at: exit.at,
      message: `${how} ${errorPaths ? 'on an error path ' : ''}without releasing the memory from ${ctx.outcome.site.callee}()`,
      related,
    });
  }
}
