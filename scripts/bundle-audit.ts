/**
 * Import-graph rules for the Lambda and worker bundles, checked on esbuild's metafile:
 * nothing of the local hub (`src/local/`) is bundled, and the domain and the queue algorithm
 * import nothing from `@aws-sdk/*` (DESIGN.md §1: ports and adapters).
 */
import type { Metafile } from 'esbuild';

/** Folders whose modules must not import the AWS SDK. */
export const SDK_FREE_FOLDERS = ['src/domain/', 'src/queue/'];

/** Strings that only the local hub's routes contain. */
export const LOCAL_ONLY_MARKERS = ['/local/cognito', '/local/outbox', '/local/appconfig'];

export interface ImportViolation {
  module: string;
  problem: string;
}

/** Every rule the bundle's import graph breaks (empty when it is clean). */
export function importViolations(metafile: Metafile): ImportViolation[] {
  const violations: ImportViolation[] = [];
  for (const [module, input] of Object.entries(metafile.inputs)) {
    if (module.startsWith('src/local/')) {
      violations.push({ module, problem: 'local hub code in a deployed bundle' });
    }
    if (!SDK_FREE_FOLDERS.some((folder) => module.startsWith(folder))) continue;
    for (const imported of input.imports) {
      const specifier = imported.original ?? imported.path;
      if (specifier.startsWith('@aws-sdk/') || imported.path.includes('node_modules/@aws-sdk/')) {
        violations.push({ module, problem: `imports ${specifier}` });
      }
    }
  }
  return violations;
}

/** Local-hub route strings found in bundle code (there should be none). */
export function localMarkersIn(code: string): string[] {
  return LOCAL_ONLY_MARKERS.filter((marker) => code.includes(marker));
}
