/** The README block that holds the generated configuration reference (see ./reference.ts). */

export const REFERENCE_START = "<!-- config-reference:start -->";
export const REFERENCE_END = "<!-- config-reference:end -->";

function markers(readme: string): { start: number; end: number } {
  const start = readme.indexOf(REFERENCE_START);
  const end = readme.indexOf(REFERENCE_END);
  const once =
    readme.indexOf(REFERENCE_START, start + 1) < 0 && readme.indexOf(REFERENCE_END, end + 1) < 0;
  if (start < 0 || end < start || !once) {
    throw new Error(
      `README.md needs the markers ${REFERENCE_START} and ${REFERENCE_END}, once each and in ` +
        'that order (under "### Configuration reference"); the configuration reference goes between them',
    );
  }
  return { start, end };
}

/** README with the block between the markers replaced; throws when the markers are missing. */
export function replaceReferenceBlock(readme: string, block: string): string {
  const { start, end } = markers(readme);
  return `${readme.slice(0, start + REFERENCE_START.length)}\n\n${block.trim()}\n\n${readme.slice(end)}`;
}

/** What is between the markers now (trimmed); throws when the markers are missing. */
export function currentReferenceBlock(readme: string): string {
  const { start, end } = markers(readme);
  return readme.slice(start + REFERENCE_START.length, end).trim();
}
