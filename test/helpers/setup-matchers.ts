/**
 * cdktf's Testing matchers as typed Vitest matchers. Nested values match exactly unless wrapped
 * in asymmetric matchers (expect.objectContaining, expect.stringMatching, ...).
 */
import { testingMatchers } from "cdktf";
import type { TerraformConstructor } from "cdktf/lib/testing/matchers";
import { expect } from "vitest";

type Items = unknown[];

const pass = (items: Items, props: Record<string, unknown>): boolean => {
  try {
    expect(items).toEqual(expect.arrayContaining([expect.objectContaining(props)]));
    return true;
  } catch {
    return false;
  }
};

const adapt =
  (
    fn: (
      received: string,
      type: TerraformConstructor,
      props?: Record<string, unknown>,
    ) => { pass: boolean; message: string },
  ) =>
  (received: string, type: TerraformConstructor, props: Record<string, unknown> = {}) => {
    const result = fn(received, type, props);
    return { pass: result.pass, message: () => result.message };
  };

expect.extend({
  toHaveResourceWithProperties: adapt(testingMatchers.getToHaveResourceWithProperties(pass)),
  toHaveResource: adapt(testingMatchers.getToHaveResourceWithProperties(pass)),
  toHaveDataSourceWithProperties: adapt(testingMatchers.getToHaveDataSourceWithProperties(pass)),
  toHaveProviderWithProperties: adapt(testingMatchers.getToHaveProviderWithProperties(pass)),
});

interface CdktfMatchers<R = unknown> {
  /** The stack JSON has a resource of this type whose properties (snake_case) include `props`. */
  toHaveResourceWithProperties(type: TerraformConstructor, props: Record<string, unknown>): R;
  toHaveResource(type: TerraformConstructor): R;
  toHaveDataSourceWithProperties(type: TerraformConstructor, props: Record<string, unknown>): R;
  toHaveProviderWithProperties(type: TerraformConstructor, props: Record<string, unknown>): R;
}

declare module "vitest" {
  // Vitest declares Matchers<T = any>; a merged declaration must repeat the parameter exactly.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-explicit-any
  interface Matchers<T = any> extends CdktfMatchers<T> {}
}
