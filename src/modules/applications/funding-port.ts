import type { Actor } from '../../platform/access/policy.js';

/**
 * What applications asks of funded certificates (ADR 0033), filled by the composition root from the funding
 * module — applications never imports funding. For a group of a certified program: the split the child's
 * certificate gives for the contract period, or why it cannot pay.
 */
export interface FundingPort {
  quote(input: {
    childId: string;
    programId: string;
    priceRoubles: number | null;
    studyStart: string;
    studyEnd: string;
  }): Promise<CertificateQuote | null>;
  /** A confirmed certificate of учёт applying to a certified program: funded now if it may be, else queued. */
  autoFund(parent: Actor, childId: string): Promise<unknown>;
  /**
   * How many free programs of the budget registries a child of the municipality may enter in the education year
   * of `today` (null: no limit), and that year's first and last days: the funding period's setting (ADR 0039).
   */
  freePrograms(municipalityId: number, today: string): Promise<FreeProgramsLimit>;
}

export interface FreeProgramsLimit {
  limit: number | null;
  startsOn: string;
  endsOn: string;
}

export type CertificateQuoteRefusal =
  | 'funding_closed'
  | 'contracts_banned'
  | 'funding_balance'
  | 'funding_queued'
  | 'funding_age'
  | 'funding_unconfirmed';

export type CertificateQuote =
  | { ok: false; code: CertificateQuoteRefusal; message: string }
  | {
      ok: true;
      /** False: a certificate of учёт, funded when the parent applies (`room`: the quota has a place now). */
      fundedNow: boolean;
      room: boolean;
      months: number;
      priceKopecks: number;
      firstMonth: { certificateKopecks: number; familyKopecks: number };
      certificateKopecks: number;
      familyKopecks: number;
      balanceKopecks: number;
      balanceAfterKopecks: number;
    };
