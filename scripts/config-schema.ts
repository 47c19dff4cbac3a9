// The JSON Schema of `.failpath.json` (DESIGN §5), generated from the rule ids and profile names so that it
// cannot drift from them; VS Code validates the file with it (`contributes.jsonValidation`).
import { PROFILE_NAMES } from '../server/src/engine/catalogue/profiles';
import { CONVENTIONS, OWNERS } from '../server/src/engine/config/config';

export function configSchema(ruleIds: string[]): string {
  const severity = { enum: ['error', 'warning', 'hint', 'off'] };
  const schema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Failpath configuration (.failpath.json)',
    type: 'object',
    additionalProperties: false,
    properties: {
      profiles: { description: 'Allocator profiles to load.', type: 'array', items: { enum: PROFILE_NAMES }, uniqueItems: true, default: ['libc', 'posix'] },
      policy: { description: '"abort": the project\'s own allocators abort on OOM (xmalloc style), so their failure tests are dead code.', enum: ['handle', 'abort'], default: 'handle' },
      allocators: {
        description: 'The project\'s own allocators.', type: 'array',
        items: {
          type: 'object', required: ['name', 'failure'], additionalProperties: false,
          properties: {
            name: { type: 'string' },
            failure: { description: 'How it reports failure.', enum: CONVENTIONS },
            result: { description: 'Where the pointer goes: the return value, or an out argument argN.', type: 'string', pattern: '^(return|arg[0-9]+)$' },
            release: { description: 'Functions that release what it returns.', type: 'array', items: { type: 'string' } },
            reallocArg: { description: 'realloc kin: the argument that is the old block (still valid when the call fails).', type: 'integer', minimum: 0 },
            consumesArg: { description: 'The argument the call takes over whether it succeeds or not.', type: 'integer', minimum: 0 },
            gfpArg: { description: 'Kernel: the gfp flags argument (__GFP_NOFAIL there: cannot fail).', type: 'integer', minimum: 0 },
            nullIfArgNull: { description: 'The argument for which NULL gives NULL without a failure (g_strdup(NULL)): a test of the result is not dead unless that argument cannot be NULL.', type: 'integer', minimum: 0 },
            failsOnlyWithoutReclaim: { description: 'mempool_alloc style: cannot fail when the gfp mask allows direct reclaim.', type: 'boolean' },
            ownedBy: { description: 'Memory released with its owner (a pool, the device, a gc): never leaked by hand.', enum: OWNERS },
            resource: { description: 'A resource other than heap memory ("mapping", "thread", …).', type: 'string', minLength: 1 },
          },
        },
      },
      noAlloc: { description: 'Globs of functions that must never allocate.', type: 'array', items: { type: 'string' } },
      rules: { description: 'Severity per rule, or "off".', type: 'object', additionalProperties: false, properties: Object.fromEntries(ruleIds.map((id) => [id, severity])) },
      exclude: { description: 'Globs of files not to audit.', type: 'array', items: { type: 'string' } },
      cppcheckLibraries: {
        description: 'cppcheck library files (.cfg) whose <memory>/<resource> allocators, deallocators and noreturn functions to use, relative to this file.',
        type: 'array', items: { type: 'string', pattern: '\\S' },
      },
    },
  };
  return JSON.stringify(schema, null, 2) + '\n';
}
