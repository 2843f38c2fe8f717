/**
 * The region this deployment serves. One deployment is one region (a national one partitions by region, see
 * ARCHITECTURE.md); the code is the subject's code that starts every certificate number.
 */
export const REGION = {
  code: '67',
  name: 'Смоленская область',
  /** Genitive, as in «Навигатор дополнительного образования Смоленской области». */
  nameGenitive: 'Смоленской области',
  /** Dates, deadlines and «this year» are the region's, whatever the server's clock zone. */
  timeZone: 'Europe/Moscow',
} as const;
