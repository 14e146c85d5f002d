import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { createSmtpEmailSender } from './email-sender.js';

const received: { envelopeTo: string[]; user: string | undefined; mail: ParsedMail }[] = [];

const server = new SMTPServer({
  authOptional: true,
  allowInsecureAuth: true, // loopback only; lets the test exercise credentials from the URL
  disabledCommands: ['STARTTLS'],
  logger: false,
  onAuth(auth, _session, cb) {
    if (auth.username === 'lindung' && auth.password === 'rahasia') cb(null, { user: auth.username });
    else cb(new Error('invalid credentials'));
  },
  onData(stream, session, cb) {
    simpleParser(stream)
      .then((mail) => {
        received.push({ envelopeTo: session.envelope.rcptTo.map((r) => r.address), user: session.user, mail });
        cb();
      })
      .catch(cb);
  },
});
let port = 0;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('createSmtpEmailSender', () => {
  it('delivers text and a PDF attachment byte-for-byte, with the given Message-ID', async () => {
    const sender = createSmtpEmailSender({ url: `smtp://lindung:rahasia@127.0.0.1:${port}`, from: 'Lindung <noreply@lindung.test>' });
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from([0, 1, 2, 0xff, 0xfe, 0x80]), Buffer.from('\n%%EOF\n')]);
    try {
      const res = await sender.send({
        to: 'siti@example.test',
        subject: 'Kartu peserta BPJS Ketenagakerjaan',
        text: 'Kode verifikasi Anda: 482913. Jangan berikan kode ini kepada siapa pun.',
        html: '<p>Kode verifikasi Anda: <b>482913</b></p>',
        attachments: [{ filename: 'kartu-peserta.pdf', content: pdf, contentType: 'application/pdf' }],
        messageId: '<notif-123@lindung.test>',
      });
      expect(res.providerMessageId).toBe('<notif-123@lindung.test>');
    } finally {
      await sender.close?.();
    }

    expect(received).toHaveLength(1);
    const { mail, envelopeTo, user } = received[0]!;
    expect(user).toBe('lindung');
    expect(envelopeTo).toEqual(['siti@example.test']);
    expect(mail.subject).toBe('Kartu peserta BPJS Ketenagakerjaan');
    expect(mail.messageId).toBe('<notif-123@lindung.test>');
    const to = Array.isArray(mail.to) ? mail.to[0] : mail.to;
    expect(to?.value[0]?.address).toBe('siti@example.test');
    expect(mail.from?.value[0]?.address).toBe('noreply@lindung.test');
    expect(mail.text?.trim()).toBe('Kode verifikasi Anda: 482913. Jangan berikan kode ini kepada siapa pun.');
    expect(mail.html).toContain('<b>482913</b>');
    expect(mail.attachments).toHaveLength(1);
    const att = mail.attachments[0]!;
    expect(att.filename).toBe('kartu-peserta.pdf');
    expect(att.contentType).toBe('application/pdf');
    expect(Buffer.compare(att.content, pdf)).toBe(0);
  });

  it('rejects when the SMTP server is unreachable, so the worker can retry', async () => {
    // Grab a free loopback port, then close it: connecting there is refused.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const closedPort = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));

    const sender = createSmtpEmailSender({ url: `smtp://127.0.0.1:${closedPort}`, from: 'noreply@lindung.test' });
    try {
      await expect(sender.send({ to: 'siti@example.test', subject: 'x', text: 'x' })).rejects.toThrow();
    } finally {
      await sender.close?.();
    }
  });
});
