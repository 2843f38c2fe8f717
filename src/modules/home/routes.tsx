import type { FastifyInstance } from 'fastify';
import { ageOn } from '../../platform/validation/fields.js';
import { regionToday } from '../../platform/views/format.js';
import { sendPage } from '../../platform/views/render.js';
import type { CatalogService } from '../catalog/index.js';
import type { ChildrenService } from '../children/index.js';
import type { ReferenceService } from '../reference/index.js';
import { HelpPage } from './help.js';
import { HomePage } from './views.js';
import { access } from '../../platform/http/access.js';

export function homeRoutes(services: {
  reference: ReferenceService;
  catalog: CatalogService;
  children: ChildrenService;
}) {
  return (app: FastifyInstance) => {
    app.get('/help', access('public'), (_request, reply) => sendPage(reply, <HelpPage />));

    app.get('/', access('public'), async (request, reply) => {
      const user = request.user;
      const today = regionToday();
      const [directions, counts, municipalities, myChildren] = await Promise.all([
        services.reference.listDirections(),
        services.catalog.countPublishedByDirection(),
        services.reference.listMunicipalities(),
        user ? services.children.listOf(user) : [],
      ]);
      // Recommendations use what the user told us: the municipality at registration, the children's ages.
      const municipality = user ? municipalities.find((m) => m.id === user.municipalityId) : undefined;
      const ages = [
        ...new Set(myChildren.map((child) => ageOn(child.birthDate, new Date(`${today}T12:00:00Z`)))),
      ].filter((age) => age >= 0 && age <= 18);
      const recommendations = user
        ? await services.catalog.recommendations({ municipalityCode: municipality?.code, ages, today })
        : [];
      const withCounts = directions.map((d) => ({ ...d, programCount: counts.get(d.id) ?? 0 }));
      return sendPage(
        reply,
        <HomePage
          directions={withCounts}
          recommendations={recommendations}
          municipalityName={municipality?.name ?? null}
          forChildren={ages.length > 0}
          reader={!user ? 'guest' : user.emailVerified ? 'signed_in' : 'unconfirmed'}
        />,
      );
    });
  };
}
