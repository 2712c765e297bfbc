/**
 * `Exact<A, B>` is `true` exactly when A and B are the same type. The zod schemas of the public
 * API carry written-out output types (JSR needs explicit types); each schema module asserts
 * `const _check: Exact<z.output<typeof schema>, T> = true`, so a field added to a schema but not
 * to its type (or the other way round) fails `deno check`.
 */
export type Exact<A, B> = (<X>() => X extends A ? 1 : 2) extends (<X>() => X extends B ? 1 : 2)
  ? true
  : false;
