// Single-entry memoization by argument identity (as reselect's default): selectors built from it
// return the very same object while their inputs are the same objects, which is what lets
// zustand's useSyncExternalStore-based hooks skip re-rendering.

export function memoizeLast<A extends readonly unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  let lastArgs: A | undefined;
  let lastResult: R;
  return (...args: A): R => {
    if (lastArgs && lastArgs.length === args.length && lastArgs.every((x, i) => Object.is(x, args[i]))) return lastResult;
    lastResult = fn(...args);
    lastArgs = args;
    return lastResult;
  };
}
