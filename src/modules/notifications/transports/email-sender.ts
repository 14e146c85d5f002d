import { createTransport } from 'nodemailer';

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
  const transport = createTransport(opts.url);
  return {
    async send(msg) {
      const info = await transport.sendMail({
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
      transport.close();
    },
  };
}
