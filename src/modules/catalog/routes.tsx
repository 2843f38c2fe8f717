import type { FastifyInstance } from 'fastify';
import { sendPage } from '../../platform/views/render.js';
import { NotFoundPage } from '../../platform/views/error-pages.js';
import type { ReferenceService } from '../reference/service.js';
import { programIdSchema, programQuerySchema } from './schemas.js';
import type { CatalogService } from './service.js';
import { ProgramDetailsPage, ProgramListPage } from './views.js';

export function catalogRoutes(services: { reference: ReferenceService; catalog: CatalogService }) {
  return (app: FastifyInstance) => {
    app.get('/programs', async (request, reply) => {
      const query = programQuerySchema.parse(request.query ?? {});
      const [result, directions, municipalities] = await Promise.all([
        services.catalog.search(query),
        services.reference.listDirections(),
        services.reference.listMunicipalities(),
      ]);
      return sendPage(
        reply,
        <ProgramListPage
          query={query}
          result={result}
          directions={directions}
          municipalities={municipalities}
        />,
      );
    });

    app.get('/programs/:id', async (request, reply) => {
      const params = programIdSchema.safeParse(request.params);
      const details = params.success ? await services.catalog.getPublishedProgram(params.data.id) : null;
      if (!details) return sendPage(reply, <NotFoundPage />, 404);
      return sendPage(reply, <ProgramDetailsPage details={details} />);
    });
  };
}
