/**
 * Generated blocks in README.md live between `<!-- NAME:start -->` and `<!-- NAME:end -->`
 * (the diagram, the configuration reference, the benchmark numbers). Blank lines surround the
 * block, as prettier formats Markdown (README.md is prettier-checked).
 */
export interface ReadmeBlock {
  readonly start: string;
  readonly end: string;
  /** README with the block replaced; throws when the markers are missing or repeated. */
  replace(readme: string, block: string): string;
  /** The block now (trimmed), or undefined when the markers are missing. */
  current(readme: string): string | undefined;
}

/** @param howToFill says what generates the block, for the error about missing markers. */
export function readmeBlock(name: string, howToFill: string): ReadmeBlock {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const locate = (readme: string): { from: number; to: number } | undefined => {
    const from = readme.indexOf(start);
    const to = readme.indexOf(end);
    const once = readme.indexOf(start, from + 1) < 0 && readme.indexOf(end, to + 1) < 0;
    return from < 0 || to < from || !once ? undefined : { from, to };
  };
  return {
    start,
    end,
    replace(readme, block) {
      const at = locate(readme);
      if (!at) {
        throw new Error(
          `README.md needs the markers ${start} and ${end}, once each and in that order; ${howToFill}`,
        );
      }
      return `${readme.slice(0, at.from + start.length)}\n\n${block.trim()}\n\n${readme.slice(at.to)}`;
    },
    current(readme) {
      const at = locate(readme);
      return at ? readme.slice(at.from + start.length, at.to).trim() : undefined;
    },
  };
}
