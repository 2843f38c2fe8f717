// The contract's months as its parent reads them: pure, from the split and the month close's accruals (ADR 0035).

/** A contract's month as its parent reads it (issue 13, item 8): what the certificate paid and what returned. */
export interface MonthAccrual {
  month: string;
  /** «Аванс»: charged on the 1st of the month. */
  advanceKopecks: number;
  /** «Начислено по счёту»: the month's part × completeness; null until the invoice is made. */
  invoicedKopecks: number | null;
  completenessPercent: number | null;
  /** «Возвращено на сертификат»: the part not charged (released) and the advance above what was due (refunded). */
  returnedKopecks: number | null;
  /** «Доплата семьи»: the family's part of the month's price, as the contract split it (paid to the provider). */
  familyKopecks: number;
}

/** The months of a contract that have an advance or an invoice, in order, from its split and its accruals. */
export function monthAccruals(
  months: readonly { month: string; familyKopecks: number }[],
  accruals: readonly {
    month: string;
    kind: 'advance' | 'invoice';
    dueKopecks: number;
    completenessPercent: number | null;
    releasedKopecks: number;
    refundedKopecks: number;
  }[],
): MonthAccrual[] {
  return months.flatMap(({ month, familyKopecks }) => {
    const advance = accruals.find((row) => row.month === month && row.kind === 'advance');
    const invoice = accruals.find((row) => row.month === month && row.kind === 'invoice');
    if (!advance && !invoice) return [];
    return [
      {
        month,
        advanceKopecks: advance?.dueKopecks ?? 0,
        invoicedKopecks: invoice ? invoice.dueKopecks : null,
        completenessPercent: invoice ? invoice.completenessPercent : null,
        returnedKopecks: invoice ? invoice.releasedKopecks + invoice.refundedKopecks : null,
        familyKopecks,
      },
    ];
  });
}
