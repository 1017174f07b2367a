/**
 * @module cli/conform
 * `cv-contract-kit conform`: placeholder until the conformance runner lands.
 */
export async function conformCommand(_argv: readonly string[]): Promise<number> {
  console.error("cv-contract-kit conform: the conformance runner is not built yet.");
  return 2;
}
