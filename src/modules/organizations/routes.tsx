import type { FastifyInstance } from 'fastify';
import type { MapSettings } from '../../platform/config.js';
import { access } from '../../platform/http/access.js';
import { lastPageUrl } from '../../platform/http/paging.js';
import { idParams } from '../../platform/validation/fields.js';
import { NotFoundPage } from '../../platform/views/error-pages.js';
import { sendPage } from '../../platform/views/render.js';
import { MUNICIPALITIES } from '../reference/index.js';
import { listFilters, organizationQuerySchema } from './schemas.js';
import type { OrganizationsService } from './service.js';
import { OrganizationListPage, OrganizationPage } from './views.js';

/** The public «Организации» list (/organizations) and each organization's page (/organizations/:id). */
export function organizationsRoutes({
  organizations,
  map,
}: {
  organizations: OrganizationsService;
  map: MapSettings | null;
}) {
  return (app: FastifyInstance) => {
    app.get('/organizations', access('public'), async (request, reply) => {
      const { query, filters } = listFilters(organizationQuerySchema.parse(request.query ?? {}));
      const list = await organizations.list(request.user, filters);
      // Past the last page: to the last page, the address otherwise as it was (as in the catalog).
      if (list.total > 0 && list.page > list.pageCount) {
        return reply.redirect(lastPageUrl(request.url, list.pageCount), 303);
      }
      return sendPage(
        reply,
        <OrganizationListPage query={query} list={list} municipalities={MUNICIPALITIES} />,
      );
    });

    app.get('/organizations/:id', access('public'), async (request, reply) => {
      const params = idParams.safeParse(request.params);
      const details = params.success ? await organizations.publicProfile(request.user, params.data.id) : null;
      if (!details) return sendPage(reply, <NotFoundPage />, 404);
      return sendPage(reply, <OrganizationPage details={details} map={map} />);
    });
  };
}
