import { z } from 'zod';

/** A rendered letter, ready to send: what a mail job carries. */
export const mailMessageSchema = z.object({
  to: z.email(),
  subject: z.string().min(1),
  text: z.string().min(1),
  html: z.string().min(1),
});

export type MailMessage = z.infer<typeof mailMessageSchema>;
