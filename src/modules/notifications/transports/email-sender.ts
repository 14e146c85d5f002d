import type { Transporter } from 'nodemailer';

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  attachments?: { filename: string; content: Buffer; contentType: string }[];
  messageId?: string;
}

export interface EmailSender {
  send(msg: EmailMessage): Promise<{ providerMessageId: string }>;
  close?(): Promise<void>;
}

/**
 * SMTP delivery via nodemailer. Any failure (connection refused, auth, 4xx/5xx reply) rejects, so the
 * outbox worker can retry. A caller-supplied messageId becomes the Message-ID header, so a message
 * re-sent after a lost acknowledgement is recognisable as the same message downstream.
 */
export function createSmtpEmailSender(opts: { url: string; from: string }): EmailSender {
  // nodemailer is loaded when the first message goes out, not at start (~20 MiB of memory; issue 13, RSS).
  let transport: Promise<Transporter> | null = null;
  return {
    async send(msg) {
      transport ??= import('nodemailer').then((m) => m.createTransport(opts.url));
      const info = await (await transport).sendMail({
        from: opts.from,
        to: msg.to,
        subject: msg.subject,
        text: msg.text,
        ...(msg.html !== undefined ? { html: msg.html } : {}),
        ...(msg.messageId !== undefined ? { messageId: msg.messageId } : {}),
        attachments: (msg.attachments ?? []).map((a) => ({ filename: a.filename, content: a.content, contentType: a.contentType })),
      });
      return { providerMessageId: info.messageId };
    },
    async close() {
      (await transport)?.close();
    },
  };
}
