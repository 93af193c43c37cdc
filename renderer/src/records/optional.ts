type Defined<T> = { [K in keyof T]?: Exclude<T[K], undefined> };

/**
 * Drops members whose value is undefined, so optional props can be passed on under
 * `exactOptionalPropertyTypes` (which tells "absent" from "present but undefined").
 */
export function defined<T extends object>(props: T): Defined<T> {
  return Object.fromEntries(
    Object.entries(props).filter(([, value]) => value !== undefined),
  ) as Defined<T>;
}
