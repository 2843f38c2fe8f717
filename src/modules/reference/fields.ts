import { z } from 'zod';
import { MUNICIPALITIES } from './data.js';

/** A municipality chosen from the region's list (a form sends its id as text). */
export const municipalityField = z.preprocess(
  (value) => (typeof value === 'string' && /^\d{1,3}$/.test(value) ? Number(value) : value),
  z.number({ message: 'Выберите муниципалитет' }).refine((id) => MUNICIPALITIES.some((m) => m.id === id), {
    message: 'Выберите муниципалитет из списка',
  }),
);

/** «город Смоленск» for id 1; empty for an unknown id. */
export function municipalityName(id: number | null): string {
  return MUNICIPALITIES.find((m) => m.id === id)?.name ?? '';
}
