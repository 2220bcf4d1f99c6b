/**
 * Sending an e-mail: nodemailer to SMTP_URL; without it, outside production
 * the e-mail is written to the log (development), and in production nothing
 * is sent (a warning is logged; README "E-mail").
 */
import nodemailer, { type Transporter } from 'nodemailer';
import type { Config } from '../../config';
import type { Logger } from '../../core/logger';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

const transports = new Map<string, Transporter>();

function transportOf(url: string): Transporter {
  let t = transports.get(url);
  if (!t) {
    t = nodemailer.createTransport(url);
    transports.set(url, t);
  }
  return t;
}

/** Whether e-mails leave the server (SMTP configured). */
export function emailEnabled(config: Config): boolean {
  return config.email.smtpUrl !== null;
}

/**
 * Sends one e-mail; throws when the SMTP server refuses it (the job is
 * retried). False when it was not sent: in production without SMTP_URL
 * (a warning is logged; the caller records the e-mail as skipped).
 */
export async function sendEmail(config: Config, logger: Logger, mail: Mail): Promise<boolean> {
  if (!config.email.smtpUrl) {
    if (config.env === 'production') {
      logger.warn({ subject: mail.subject }, 'e-mail not sent: SMTP_URL is not set');
      return false;
    }
    logger.info({ to: mail.to, subject: mail.subject, text: mail.text }, 'e-mail (development: SMTP_URL is not set, so it is only logged)');
    return true;
  }
  await transportOf(config.email.smtpUrl).sendMail({ from: config.email.from, to: mail.to, subject: mail.subject, text: mail.text });
  return true;
}

/** Closes the pooled SMTP connections (at shutdown). */
export function closeEmailTransports(): void {
  for (const t of transports.values()) t.close();
  transports.clear();
}
