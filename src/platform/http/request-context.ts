import type { PageFacts } from '../views/context.js';
import type { LowVision } from '../views/low-vision.js';

/** An operator's role and reach (see modules/children/policy.ts). */
export interface StaffRole {
  role: 'org_staff' | 'municipal_admin' | 'coordinator';
  municipalityId: number | null;
  organizationId: string | null;
}

/** The signed-in person as pages and services see them. */
export interface CurrentUser {
  id: string;
  email: string;
  /** «Иванова А. С.», shown top right. */
  shortName: string;
  emailVerified: boolean;
  /** Chosen at registration «для рекомендаций программ»: the catalog's default municipality. */
  municipalityId: number;
  /** Hash of this browser's session token (to sign out exactly this session). */
  sessionTokenHash: string;
  /** Present for operators only. */
  staff: StaffRole | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    user: CurrentUser | null;
    /** The token every form of this page must send back as `_csrf`. */
    readonly csrfToken: string;
    /** Makes (once) and answers `csrfToken`; set for every request but static files (platform/http/app.tsx). */
    csrfMaker: (() => string) | null;
    flash: string | null;
    /** What the layout shows of the signed-in person beyond the name (pages only; see PageFacts). */
    pageFacts: PageFacts | null;
    /** «Версия для слабовидящих» settings from the cookie, or null when the version is off (ADR 0021). */
    lowVision: LowVision | null;
  }
}

/** A signed-in operator: a user with a staff role. */
export type Operator = CurrentUser & { staff: StaffRole };
