/**
 * «← Предыдущая · Страница 2 из 5 · Следующая →» under a paged list; nothing when everything fits on one page.
 * `hrefFor` builds the link of a page with the list's other filters kept.
 */
export function Pagination({
  page,
  pageCount,
  hrefFor,
  label,
  previous = '← Предыдущая',
  next = 'Следующая →',
}: {
  page: number;
  pageCount: number;
  hrefFor: (page: number) => string;
  /** What is paged, for a screen reader: «Страницы заявок». */
  label: string;
  previous?: string;
  next?: string;
}) {
  if (pageCount <= 1) return null;
  return (
    <nav class="pagination" aria-label={label}>
      {page > 1 && (
        <a href={hrefFor(page - 1)} rel="prev">
          {previous}
        </a>
      )}
      <span>
        Страница {page} из {pageCount}
      </span>
      {page < pageCount && (
        <a href={hrefFor(page + 1)} rel="next">
          {next}
        </a>
      )}
    </nav>
  );
}
