/**
 * Index of the last item whose key is at or before `key`, in `items` sorted by ascending key (ISO dates compare as
 * strings); −1 when every key is later or there are no items. Binary search: O(log n).
 */
export function lastIndexAtOrBefore<T, K extends string | number>(items: ArrayLike<T>, key: K, keyOf: (item: T) => K): number {
  let lo = 0;
  let hi = items.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (keyOf(items[mid]!) <= key) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}
