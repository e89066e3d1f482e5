/**
 * Reads the documentation that lives in the config schema's source (src/config/schema/*.ts): the
 * JSDoc above each key of every `z.strictObject({...})` (description and `@default`) and the custom
 * error messages (`{ error: "..." }`, `addIssue({ message: ... })`) of the key's zod expression,
 * following identifiers into the other schema files (`vpcCidr: cidr` -> the `cidr` primitive,
 * `cpu: sizing.cpu` -> the `sizing` entry, `resourceLabel("project", 20)` -> its messages with the
 * arguments filled in). The configuration reference (./reference.ts) pairs this with the schema's
 * JSON Schema, so the README says what the code says and cannot drift from it.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as ts from "typescript";
import { projectRoot } from "../../src/paths";

/** What the source says about one key of an object schema. */
export interface FieldDoc {
  /** The JSDoc text (without tags); falls back to the JSDoc of what the key's schema is built from. */
  readonly description: string;
  /** The JSDoc `@default` text, e.g. `4` or `- "per-az" in production, else "single"`. */
  readonly defaultText?: string;
  /** Custom error messages, in source order, without duplicates. */
  readonly errors: readonly string[];
}

/** One `z.strictObject({...})` of the schema source. */
export interface ObjectDoc {
  /** The JSDoc of the constant holding the object schema, e.g. `s3StateSchema`. */
  readonly description: string;
  /** Its keys in source order. */
  readonly keys: readonly string[];
  readonly fields: ReadonlyMap<string, FieldDoc>;
}

/** Every object schema of the source, found by its set of keys. */
export interface SchemaDocs {
  /**
   * The object schema with exactly these keys; throws when there is none or more than one, so a
   * schema built some other way (e.g. `.extend()`) fails loudly instead of losing its docs.
   */
  objectWithKeys(keys: readonly string[]): ObjectDoc;
}

const OBJECT_FACTORIES = new Set(["strictObject", "object", "looseObject"]);
const MESSAGE_KEYS = new Set(["error", "message"]);

type Env = ReadonlyMap<string, string | number>;
const NO_ENV: Env = new Map();

interface Declaration {
  readonly node: ts.VariableDeclaration;
}

/** One parsed schema file: its top-level constants and its imports from sibling schema files. */
interface Module {
  readonly consts: Map<string, Declaration>;
  /** Local name -> [module file name, exported name]. */
  readonly imports: Map<string, [string, string]>;
}

function keyOf(keys: readonly string[]): string {
  return [...keys].sort().join(",");
}

function jsDocOf(node: ts.Node): { description: string; defaultText?: string } {
  const docs = ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc);
  const doc = docs[docs.length - 1];
  if (!doc) return { description: "" };
  const description = clean(ts.getTextOfJSDocComment(doc.comment) ?? "");
  const tag = doc.tags?.find((t) => t.tagName.text === "default");
  const defaultText = tag ? clean(ts.getTextOfJSDocComment(tag.comment) ?? "") : undefined;
  return defaultText === undefined ? { description } : { description, defaultText };
}

function clean(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

function propertyName(p: ts.ObjectLiteralElementLike): string | undefined {
  if (!ts.isPropertyAssignment(p) && !ts.isShorthandPropertyAssignment(p)) return undefined;
  return ts.isIdentifier(p.name) || ts.isStringLiteral(p.name) ? p.name.text : undefined;
}

/** `z.strictObject(...)` (or object / looseObject). */
function isObjectFactory(node: ts.CallExpression): boolean {
  const callee = node.expression;
  return (
    ts.isPropertyAccessExpression(callee) &&
    ts.isIdentifier(callee.expression) &&
    callee.expression.text === "z" &&
    OBJECT_FACTORIES.has(callee.name.text)
  );
}

function isUnionFactory(node: ts.CallExpression): boolean {
  const callee = node.expression;
  return ts.isPropertyAccessExpression(callee) && callee.name.text === "discriminatedUnion";
}

class SourceReader implements SchemaDocs {
  private readonly modules = new Map<string, Module>();
  private readonly objects = new Map<string, ObjectDoc[]>();

  constructor(private readonly dir: string) {
    const files = readdirSync(dir).filter((f) => f.endsWith(".ts"));
    const parsed = files.map((file) => {
      const text = readFileSync(join(dir, file), "utf8");
      return ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
    });
    for (const source of parsed) this.modules.set(source.fileName, this.indexModule(source));
    for (const source of parsed) this.collectObjects(source);
  }

  objectWithKeys(keys: readonly string[]): ObjectDoc {
    const found = this.objects.get(keyOf(keys)) ?? [];
    if (found.length !== 1) {
      throw new Error(
        `${found.length === 0 ? "no" : "more than one"} z.strictObject({...}) in ${this.dir} has ` +
          `exactly the keys ${keys.join(", ")}; the configuration reference needs each object ` +
          "schema written as one object literal with a unique set of keys",
      );
    }
    return found[0];
  }

  private indexModule(source: ts.SourceFile): Module {
    const consts = new Map<string, Declaration>();
    const imports = new Map<string, [string, string]>();
    for (const statement of source.statements) {
      if (ts.isVariableStatement(statement)) {
        for (const node of statement.declarationList.declarations) {
          if (ts.isIdentifier(node.name)) consts.set(node.name.text, { node });
        }
      }
      if (
        ts.isImportDeclaration(statement) &&
        ts.isStringLiteral(statement.moduleSpecifier) &&
        statement.moduleSpecifier.text.startsWith("./")
      ) {
        const file = `${statement.moduleSpecifier.text.slice(2)}.ts`;
        const bindings = statement.importClause?.namedBindings;
        if (bindings && ts.isNamedImports(bindings)) {
          for (const element of bindings.elements) {
            imports.set(element.name.text, [file, (element.propertyName ?? element.name).text]);
          }
        }
      }
    }
    return { consts, imports };
  }

  private collectObjects(source: ts.SourceFile): void {
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && isObjectFactory(node)) {
        const literal = node.arguments[0];
        if (literal && ts.isObjectLiteralExpression(literal)) {
          const doc = this.objectDoc(source.fileName, node, literal);
          const key = keyOf(doc.keys);
          this.objects.set(key, [...(this.objects.get(key) ?? []), doc]);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }

  private objectDoc(
    file: string,
    call: ts.CallExpression,
    literal: ts.ObjectLiteralExpression,
  ): ObjectDoc {
    // The constant the object schema is assigned to, through any method chain (`.refine(...)`).
    let holder: ts.Node = call;
    while (
      ts.isPropertyAccessExpression(holder.parent) ||
      (ts.isCallExpression(holder.parent) && holder.parent.expression === holder)
    ) {
      holder = holder.parent;
    }
    const description = ts.isVariableDeclaration(holder.parent)
      ? jsDocOf(holder.parent).description
      : "";
    const fields = new Map<string, FieldDoc>();
    for (const property of literal.properties) {
      const name = propertyName(property);
      if (name === undefined) continue;
      fields.set(name, this.fieldDoc(file, property));
    }
    return { description, keys: [...fields.keys()], fields };
  }

  private fieldDoc(file: string, property: ts.ObjectLiteralElementLike): FieldDoc {
    const own = jsDocOf(property);
    const value = ts.isShorthandPropertyAssignment(property)
      ? property.name
      : (property as ts.PropertyAssignment).initializer;
    const base = this.baseDoc(file, value);
    const errors: string[] = [];
    this.collectMessages(file, value, NO_ENV, new Set(), errors);
    const description = own.description || base.description;
    const defaultText = own.defaultText ?? base.defaultText;
    const unique = [...new Set(errors)];
    return defaultText === undefined
      ? { description, errors: unique }
      : { description, defaultText, errors: unique };
  }

  /**
   * The JSDoc of what a key's schema is built from: the receiver at the start of its method chain
   * (`sizing.cpu.optional()` -> the `sizing.cpu` entry; `domainName.optional()` -> `domainName`).
   */
  private baseDoc(
    file: string,
    value: ts.Expression,
  ): { description: string; defaultText?: string } {
    let node: ts.Expression = value;
    for (;;) {
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
        node = node.expression.expression;
      } else if (ts.isCallExpression(node) && ts.isIdentifier(node.expression)) {
        node = node.expression;
      } else {
        break;
      }
    }
    const target = this.resolveValue(file, node);
    return target ? jsDocOf(target.node) : { description: "" };
  }

  /** The declaration (or object entry) an identifier or `object.key` refers to. */
  private resolveValue(
    file: string,
    node: ts.Expression,
  ): { node: ts.VariableDeclaration | ts.PropertyAssignment; file: string } | undefined {
    if (ts.isIdentifier(node)) return this.resolveIdentifier(file, node.text);
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression)) {
      const owner = this.resolveIdentifier(file, node.expression.text);
      const init = owner && owner.node.initializer;
      if (!owner || !init || !ts.isObjectLiteralExpression(init)) return undefined;
      const entry = init.properties.find(
        (p): p is ts.PropertyAssignment =>
          ts.isPropertyAssignment(p) && propertyName(p) === node.name.text,
      );
      return entry ? { node: entry, file: owner.file } : undefined;
    }
    return undefined;
  }

  private resolveIdentifier(
    file: string,
    name: string,
  ): { node: ts.VariableDeclaration; file: string } | undefined {
    const module = this.modules.get(file);
    const local = module?.consts.get(name);
    if (local) return { node: local.node, file };
    const imported = module?.imports.get(name);
    if (!imported) return undefined;
    const [otherFile, exported] = imported;
    const other = this.modules.get(otherFile)?.consts.get(exported);
    return other ? { node: other.node, file: otherFile } : undefined;
  }

  /**
   * Collects the `error:` / `message:` strings of an expression, following the identifiers it
   * uses, but not into nested object schemas (their keys document themselves).
   */
  private collectMessages(
    file: string,
    node: ts.Node,
    env: Env,
    seen: Set<ts.Node>,
    out: string[],
  ): void {
    if (seen.has(node)) return;
    seen.add(node);
    const recurse = (child: ts.Node): void => this.collectMessages(file, child, env, seen, out);

    if (ts.isPropertyAssignment(node)) {
      const name = propertyName(node);
      if (name !== undefined && MESSAGE_KEYS.has(name)) {
        const text = evaluate(node.initializer, env);
        if (text !== undefined) out.push(String(text));
        return;
      }
      recurse(node.initializer);
      return;
    }
    if (ts.isCallExpression(node)) {
      // Nested object schemas document their own keys; a union's variants likewise.
      const skip = isObjectFactory(node) ? 0 : isUnionFactory(node) ? 1 : -1;
      recurse(node.expression);
      node.arguments.forEach((arg, i) => {
        if (i !== skip) recurse(arg);
      });
      if (ts.isIdentifier(node.expression)) this.followCall(file, node, env, out);
      return;
    }
    if (ts.isPropertyAccessExpression(node)) {
      const target = this.resolveValue(file, node);
      if (target && ts.isPropertyAssignment(target.node)) {
        this.collectMessages(target.file, target.node.initializer, NO_ENV, seen, out);
        return;
      }
      recurse(node.expression);
      return;
    }
    if (ts.isIdentifier(node)) {
      if (env.has(node.text)) return;
      const target = this.resolveIdentifier(file, node.text);
      const init = target?.node.initializer;
      if (target && init && !ts.isArrowFunction(init)) {
        this.collectMessages(target.file, init, NO_ENV, seen, out);
      }
      return;
    }
    ts.forEachChild(node, recurse);
  }

  /** `resourceLabel("project", 20)`: the helper's messages with its parameters filled in. */
  private followCall(file: string, call: ts.CallExpression, env: Env, out: string[]): void {
    const target = this.resolveIdentifier(file, (call.expression as ts.Identifier).text);
    const fn = target?.node.initializer;
    if (!target || !fn || !ts.isArrowFunction(fn)) return;
    const bound = new Map<string, string | number>();
    fn.parameters.forEach((param, i) => {
      const arg = call.arguments[i];
      const value = arg ? evaluate(arg, env) : undefined;
      if (ts.isIdentifier(param.name) && value !== undefined) bound.set(param.name.text, value);
    });
    // A fresh `seen`: the helper's body is read once per call, with this call's arguments.
    this.collectMessages(target.file, fn.body, bound, new Set(), out);
  }
}

/** A string or number literal, or a template whose parts are all known; else undefined. */
function evaluate(node: ts.Expression, env: Env): string | number | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isNumericLiteral(node)) return Number(node.text);
  if (ts.isIdentifier(node)) return env.get(node.text);
  if (ts.isTemplateExpression(node)) {
    let text = node.head.text;
    for (const span of node.templateSpans) {
      const value = evaluate(span.expression, env);
      if (value === undefined) return undefined;
      text += String(value) + span.literal.text;
    }
    return text;
  }
  return undefined;
}

const cache = new Map<string, SchemaDocs>();

/** The docs of the schema source in `dir` (default: src/config/schema), parsed once per process. */
export function readSchemaDocs(
  dir: string = join(projectRoot(), "src", "config", "schema"),
): SchemaDocs {
  let docs = cache.get(dir);
  if (!docs) {
    docs = new SourceReader(dir);
    cache.set(dir, docs);
  }
  return docs;
}
