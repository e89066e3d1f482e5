import { installCheapTokenTraces } from "../../src/synth/cheap-token-traces";

// Every test synthesizes; cdktf's per-token traces need no formatting there either. Assertion
// errors keep Vitest's source-mapped stacks (its formatter is wrapped, not replaced).
installCheapTokenTraces();
