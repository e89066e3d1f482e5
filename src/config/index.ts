export * from "./schema/platform";
export { loadConfig, parseConfig, ConfigError } from "./load";
