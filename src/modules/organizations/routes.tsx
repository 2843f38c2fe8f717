import type { FastifyInstance } from 'fastify';
import { access } from '../../platform/http/access.js';
import { idParams } from '../../platform/validation/fields.js';
import { NotFoundPage } from '../../platform/views/error-pages.js';
import { sendPage } from '../../platform/views/render.js';
import type { OrganizationsService } from './service.js';
import { OrganizationPage } from './views.js';

/** The public page of an organization (/organizations/:id). */
export function organizationsRoutes({ organizations }: { organizations: OrganizationsService }) {
  return (app: FastifyInstance) => {
    app.get('/organizations/:id', access('public'), async (request, reply) => {
      const params = idParams.safeParse(request.params);
      const details = params.success ? await organizations.publicProfile(request.user, params.data.id) : null;
      if (!details) return sendPage(reply, <NotFoundPage />, 404);
      return sendPage(reply, <OrganizationPage details={details} />);
    });
  };
}
