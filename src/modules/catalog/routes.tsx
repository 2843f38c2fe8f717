import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { ageOn } from '../../platform/validation/fields.js';
import { NotFoundPage } from '../../platform/views/error-pages.js';
import { countOf, regionToday, YEAR_FORMS } from '../../platform/views/format.js';
import { PageGone, isSharedGuestPage, type PageCache } from '../../platform/http/page-cache.js';
import { renderPage, sendHtml, sendPage } from '../../platform/views/render.js';
import type { ChildrenService } from '../children/index.js';
import type { ReferenceService } from '../reference/index.js';
import type { MapSettings } from '../../platform/config.js';
import type { CurrentUser } from '../../platform/http/request-context.js';
import { CATALOG_CSV_COLUMNS, csvLine, readableRow } from './csv.js';
import { filtersOfRequest, resolveFilters } from './filters.js';
import { idParams } from '../../platform/validation/fields.js';
import { PlacesPage, ResultsMap, placesSearch } from './map.js';
import { programQuerySchema } from './schemas.js';
import type { CatalogService } from './service.js';
import { ProgramDetailsPage, ProgramListPage, ResultsFound } from './views.js';
import { answerKey, sortedEntries } from './service.js';
import { renderToString } from 'preact-render-to-string';
import { access } from '../../platform/http/access.js';
import { lastPageUrl } from '../../platform/http/paging.js';

/** Past the last page: the page to go to instead. A kept page past the last is forgotten (PageGone). */
class PastLastPage extends PageGone {
  constructor(readonly location: string) {
    super('past the last page');
  }
}

/**
 * The program asked for is not published (or does not exist): its page answers 404, and a guests' page kept of it
 * is forgotten when a rebuild finds this (an archive made in another process).
 */
class NotPublished extends PageGone {
  constructor() {
    super('no published program');
  }
}

export function catalogRoutes(services: {
  reference: ReferenceService;
  catalog: CatalogService;
  children: ChildrenService;
  catalogPages: PageCache;
  /** MAP_TILES_URL: the results' map; null, none. */
  map: MapSettings | null;
  /**
   * For a signed-in parent: per group of a certified program, what each funded child's certificate covers a month
   * (the composition root asks funding). A signed-in user's program page is never in the guest cache.
   */
  certificateSplits?: (
    user: CurrentUser,
    programId: string,
    groups: { id: string; monthlyCostCertificate: number | null; studyStart: string; studyEnd: string }[],
  ) => Promise<Map<string, string[]>>;
}) {
  return (app: FastifyInstance) => {
    app.get('/programs', access('public'), async (request, reply) => {
      // A guest's results page is the same for every guest (no forms with tokens, no name): ADR 0010.
      const cacheable = isSharedGuestPage(request);
      const build = async () => {
        const raw = programQuerySchema.parse(request.query ?? {});
        const [directions, specializations, municipalities, myChildren] = await Promise.all([
          services.reference.listDirections(),
          services.reference.listSpecializations(),
          services.reference.listMunicipalities(),
          request.user ? services.children.listOf(request.user) : [],
        ]);
        const { query, filters } = await resolveFilters(raw, request.user, {
          municipalities,
          specializations,
          children: services.children,
        });
        const [result, organization] = await Promise.all([
          services.catalog.search(filters),
          query.organization ? services.catalog.organizationName(query.organization) : null,
        ]);
        // Past the last page: to the last page, the address otherwise as it was (issue 15). Not remembered
        // in the cache as a page: the build fails with the address to go to.
        if (result.total > 0 && result.page > result.pageCount) {
          throw new PastLastPage(lastPageUrl(request.url, result.pageCount));
        }
        const today = new Date(`${filters.today}T12:00:00Z`);
        const map = result.total > 0 && (
          <ResultsMap
            settings={services.map}
            search={placesSearch(request.query as Record<string, unknown>)}
          />
        );
        // A signed-in user's page is built per request around the found part, which is the same for everyone
        // who asks this query: rendered once per answer and kept as text (ADR 0031). A guest's whole page is
        // kept instead (ADR 0010).
        const foundHtml =
          !cacheable && result.total > 0
            ? await services.catalogPages.remember(
                `found:${JSON.stringify([answerKey(filters, false), sortedEntries(query)])}`,
                () =>
                  Promise.resolve(renderToString(<ResultsFound query={query} result={result} map={map} />)),
              )
            : undefined;
        return renderPage(
          request,
          <ProgramListPage
            query={query}
            municipalityCode={filters.municipality}
            result={result}
            directions={directions}
            specializations={specializations}
            municipalities={municipalities}
            myChildren={myChildren.map((child) => ({
              id: child.id,
              label: `${child.firstName}, ${countOf(ageOn(child.birthDate, today), YEAR_FORMS)}`,
            }))}
            organizationName={organization}
            map={map}
            foundHtml={foundHtml}
          />,
        );
      };
      try {
        return sendHtml(
          reply,
          cacheable ? await services.catalogPages.remember(request.url, build) : await build(),
        );
      } catch (error) {
        if (error instanceof PastLastPage) return reply.redirect(error.location, 303);
        throw error;
      }
    });

    // The map's places as text (catalog/map.tsx): the same filters as the results; shared by guests like them.
    app.get('/programs/places', access('public'), async (request, reply) => {
      const build = async () => {
        const { filters } = await filtersOfRequest(request.query, request.user, services);
        const { places } = await services.catalog.answer(filters, true);
        return renderPage(
          request,
          <PlacesPage
            places={places?.places ?? []}
            total={places?.total ?? 0}
            search={placesSearch(request.query as Record<string, unknown>)}
          />,
        );
      };
      return sendHtml(
        reply,
        isSharedGuestPage(request) ? await services.catalogPages.remember(request.url, build) : await build(),
      );
    });

    // Open data: the whole public catalog, streamed in batches so memory stays flat at any size.
    app.get('/programs.csv', access('public'), async (_request, reply) => {
      reply.header('content-type', 'text/csv; charset=utf-8');
      reply.header('content-disposition', 'attachment; filename="programs.csv"');
      const catalog = services.catalog;
      async function* lines() {
        yield '\ufeff' + csvLine(CATALOG_CSV_COLUMNS.map((c) => c.title));
        for await (const rows of catalog.exportRows()) {
          yield rows.map((row) => csvLine(CATALOG_CSV_COLUMNS.map((c) => readableRow(row)[c.key]))).join('');
        }
      }
      return reply.send(Readable.from(lines()));
    });

    app.get('/programs/:id', access('public'), async (request, reply) => {
      const params = idParams.safeParse(request.params);
      if (!params.success) return sendPage(reply, <NotFoundPage />, 404);
      // One spelling of the id (a UUID's letters in either case name the same program): one cache entry.
      const id = params.data.id.toLowerCase();
      // No published program of that id: NotPublished, which the cache does not remember (published later: shown).
      const build = async () => {
        const details = await services.catalog.getPublishedProgram(id);
        if (!details) throw new NotPublished();
        const splits =
          request.user && services.certificateSplits && details.program.financing === 'certificate'
            ? await services.certificateSplits(request.user, details.program.id, details.groups)
            : undefined;
        // The page's own address, not the request's: a guest's query string must not reach the kept page.
        return renderPage(
          request,
          <ProgramDetailsPage details={details} today={regionToday()} splits={splits} />,
          { path: `/programs/${id}` },
        );
      };
      try {
        // A guest's program page is the same for every guest, as the results (ADR 0010); keyed by the id alone
        // (lower case), so made-up query strings or spellings cannot fill the cache.
        return sendHtml(
          reply,
          isSharedGuestPage(request)
            ? await services.catalogPages.remember(`program:${id}`, build)
            : await build(),
        );
      } catch (error) {
        if (error instanceof NotPublished) return sendPage(reply, <NotFoundPage />, 404);
        throw error;
      }
    });
  };
}
