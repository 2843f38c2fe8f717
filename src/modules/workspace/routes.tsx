import type { FastifyInstance } from 'fastify';
import { access, operatorOf } from '../../platform/http/access.js';
import { sendPage } from '../../platform/views/render.js';
import type { ApplicationsService } from '../applications/index.js';
import type { ConfirmationService } from '../children/index.js';
import type { OrganizationsService } from '../organizations/index.js';
import type { ProviderService } from '../programs/index.js';
import type { SupportRequestsService } from '../support/index.js';
import { createWorkspaceService } from './service.js';
import { WorkspacePage } from './views.js';

/** `/staff`: every operator lands here after signing in and sees what waits for them. */
export function workspaceRoutes(deps: {
  confirmation: ConfirmationService;
  applications: ApplicationsService;
  provider: ProviderService;
  organizations: OrganizationsService;
  supportRequests: SupportRequestsService;
}) {
  const workspace = createWorkspaceService(deps);
  return (app: FastifyInstance) => {
    app.get('/staff', access('staff'), async (request, reply) => {
      const operator = operatorOf(request);
      return sendPage(reply, <WorkspacePage desk={await workspace.desk(operator)} />);
    });
  };
}
