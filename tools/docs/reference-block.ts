/** The README block that holds the generated configuration reference (see ./reference.ts). */
import { readmeBlock } from "./readme-block";

export const REFERENCE_START = "<!-- config-reference:start -->";
export const REFERENCE_END = "<!-- config-reference:end -->";

const REFERENCE_BLOCK = readmeBlock(
  "config-reference",
  'the configuration reference goes between them (under "### Configuration reference").',
);

/** README with the block between the markers replaced; throws when the markers are missing. */
export function replaceReferenceBlock(readme: string, block: string): string {
  return REFERENCE_BLOCK.replace(readme, block);
}

/** What is between the markers now (trimmed); throws when the markers are missing. */
export function currentReferenceBlock(readme: string): string {
  const block = REFERENCE_BLOCK.current(readme);
  if (block === undefined) return REFERENCE_BLOCK.replace(readme, ""); // throws the marker error
  return block;
}
