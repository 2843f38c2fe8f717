/**
 * The same address on page `last` (no `page` for the first), every other parameter kept as it was: where a
 * list sends an address past its last page (issue 15).
 */
export function lastPageUrl(url: string, last: number): string {
  const [path, search = ''] = url.split('?', 2);
  const params = new URLSearchParams(search);
  if (last > 1) params.set('page', String(last));
  else params.delete('page');
  const kept = params.toString();
  return kept ? `${path}?${kept}` : path!;
}
