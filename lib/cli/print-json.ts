/** One JSON line on stdout; bigints (TL longs) as decimal strings. */
export function printJson(value: unknown): void {
  console.log(
    JSON.stringify(value, (_key, item: unknown) =>
      typeof item === 'bigint' ? item.toString() : item,
    ),
  );
}
