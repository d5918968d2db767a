import { Token } from "cdktf";
import { IConstruct } from "constructs";
import { Range, inRange } from "../lab/catalog/limits";
import { ValidationError } from "./validation-error";

/**
 * One documented limit of a construct's props (aws-cdk's `validateAllProps` shape): `condition`
 * holds when the props break it, `message` says how. A value only known at deploy time (a token)
 * in `prop` is skipped.
 */
export interface PropRule<T> {
  readonly prop: keyof T & string;
  readonly condition: (props: T) => boolean;
  readonly message: (props: T) => string;
}

type ItemOf<V> = NonNullable<V> extends readonly (infer I)[] ? I : never;

/** A limit on each item of a list prop: its problem, or undefined. Tokens among the items are skipped. */
export type ItemRule<T> = {
  [K in keyof T & string]: { readonly items: K; readonly problem: (item: ItemOf<T[K]>) => string | undefined };
}[keyof T & string];

export type Rule<T> = PropRule<T> | ItemRule<T>;

/**
 * Checks every rule and throws one `ValidationError` naming the construct's path with all the
 * problems; a construct calls it before it creates any resource.
 */
export function validateAllProps<T>(scope: IConstruct, construct: string, props: T, rules: readonly Rule<T>[]): void {
  const problems = rules.flatMap((rule) => problemsOf(props, rule));
  if (problems.length > 0) throw new ValidationError(scope.node.path, problems, construct);
}

function problemsOf<T>(props: T, rule: Rule<T>): string[] {
  if ("items" in rule) {
    const items = (props[rule.items] as readonly unknown[] | undefined) ?? [];
    const problem = rule.problem as (item: unknown) => string | undefined;
    return items.flatMap((item) => (Token.isUnresolved(item) ? [] : [problem(item)].filter(isString)));
  }
  if (Token.isUnresolved(props[rule.prop])) return [];
  return rule.condition(props) ? [rule.message(props)] : [];
}

function isString(value: string | undefined): value is string {
  return value !== undefined;
}

/** A rule that `prop` is a whole number in `range` (when it is set). */
export function wholeNumberIn<T>(prop: keyof T & string, range: Range): PropRule<T> {
  return {
    prop,
    condition: (props) => props[prop] !== undefined && !inRange(props[prop] as number, range),
    message: (props) => `${prop} must be a whole number from ${range.min} to ${range.max}, got ${String(props[prop])}`,
  };
}
