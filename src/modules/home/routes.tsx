import type { FastifyInstance } from 'fastify';
import { sendPage } from '../../platform/views/render.js';
import type { CatalogService } from '../catalog/service.js';
import type { ReferenceService } from '../reference/service.js';
import { HomePage } from './views.js';

export function homeRoutes(services: { reference: ReferenceService; catalog: CatalogService }) {
  return (app: FastifyInstance) => {
    app.get('/', async (_request, reply) => {
      const [directions, counts] = await Promise.all([
        services.reference.listDirections(),
        services.catalog.countPublishedByDirection(),
      ]);
      const withCounts = directions.map((d) => ({ ...d, programCount: counts.get(d.id) ?? 0 }));
      return sendPage(reply, <HomePage directions={withCounts} />);
    });
  };
}
