import type { DataSource, EntityManager } from 'typeorm';

/**
 * Works through due rows in batches, each batch its own transaction: `find` locks at most `size` of them (`FOR
 * UPDATE SKIP LOCKED`, so several workers share the work and never wait on each other) and `handle` deals with each
 * inside the same transaction. Repeats until a batch comes back short; returns how many rows were handled. The shape
 * of every sweep: expiring lots and demands, cancelling unpaid orders, expiring proposals, failing pools.
 */
export async function drainLockedBatches<T>(
  dataSource: DataSource,
  size: number,
  find: (manager: EntityManager, size: number) => Promise<T[]>,
  handle: (manager: EntityManager, row: T) => Promise<void>,
): Promise<number> {
  let total = 0;
  for (;;) {
    const done = await dataSource.transaction(async (manager) => {
      const rows = await find(manager, size);
      for (const row of rows) await handle(manager, row);
      return rows.length;
    });
    total += done;
    if (done < size) return total;
  }
}
