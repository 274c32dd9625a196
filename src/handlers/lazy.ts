/**
 * Deferred construction for the composition roots: what only some routes need is loaded on the
 * first call that needs it, then kept for the life of the container (ADR 0910).
 */

/**
 * A memoized async factory: the first call starts it, later calls share its result. A failure
 * is not kept, so the next call tries again (a transient error must not poison the container).
 */
export function once<T>(factory: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= factory().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}
