import { useSearchParams } from 'react-router';

/**
 * A list page's filters live in the address: a reload, the back button or a
 * shared link shows the same list. Empty values are left out of the address.
 * Each change is a history entry, so Back returns to the previous filter.
 */
export function useUrlFilters<K extends string>(keys: readonly K[]) {
  const [params, setParams] = useSearchParams();
  const values = Object.fromEntries(keys.map((k) => [k, params.get(k) ?? ''])) as Record<K, string>;
  function set(changes: Partial<Record<K | 'after' | 'before', string | null>>) {
    const next = new URLSearchParams(params);
    // Another filter means another list: a page cursor of the old one means nothing in it.
    if (!('after' in changes) && !('before' in changes)) {
      next.delete('after');
      next.delete('before');
    }
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v as string);
      else next.delete(k);
    }
    setParams(next);
  }
  return { values, params, set };
}
