import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerError } from 'smtp-server';
import type { MailConfig } from '../../config.js';
import type { PrismaClient } from '../../generated/prisma/client.js';
import type { Logger } from '../../logger.js';
import type { Clock } from '../ticket/mutate.js';
import { domainOf, normaliseAddress } from './content.js';
import { storeInbound } from './intake.service.js';

function smtpError(message: string, responseCode: number): SMTPServerError {
  const err = new Error(message) as SMTPServerError;
  err.responseCode = responseCode;
  return err;
}

export interface SmtpListener {
  port: number;
  close(): Promise<void>;
}

/**
 * The inbound SMTP listener. It accepts mail for the configured domains only (no relaying), announces and enforces
 * the size limit (552 at MAIL FROM when the client declares the size, 552 after DATA otherwise), and answers 250 only
 * once the raw message is stored: an accepted message is never lost, and a storage failure is a temporary 451 the
 * sending server retries.
 */
export async function startSmtpListener(opts: {
  config: MailConfig;
  prisma: PrismaClient;
  log: Logger;
  clock: Clock;
  onStored: (id: string, duplicate: boolean) => void;
  /** Told while a mail transaction is open, MAIL FROM to stored (processing on the embedded database steps back). */
  storing?: { begin(): void; end(): void };
}): Promise<SmtpListener> {
  const { config, prisma, log, clock } = opts;
  const open = new Set<string>();
  const begin = (sessionId: string) => {
    if (open.has(sessionId)) return;
    open.add(sessionId);
    opts.storing?.begin();
  };
  const end = (sessionId: string) => {
    if (open.delete(sessionId)) opts.storing?.end();
  };
  const server = new SMTPServer({
    banner: 'ITSM mail intake',
    size: config.maxBytes,
    rejectOversized: true,
    authOptional: true,
    // No TLS material is configured for the listener: run it behind the organisation's MX or a TLS-terminating relay.
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    maxClients: 200,
    closeTimeout: 2000,
    onMailFrom(_address, session, callback) {
      begin(session.id);
      callback();
    },
    onClose(session) {
      end(session.id);
    },
    onRcptTo(address, _session, callback) {
      const rcpt = normaliseAddress(address.address);
      if (!rcpt || !config.domains.includes(domainOf(rcpt))) {
        callback(smtpError(`5.7.1 <${address.address}>: relay access denied`, 550));
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        // Past the limit the rest is drained, not kept: the message is refused anyway.
        if (size <= config.maxBytes) chunks.push(chunk);
      });
      stream.on('error', (err) => callback(err));
      stream.on('end', () => {
        if (stream.sizeExceeded) {
          end(session.id);
          callback(smtpError(`5.3.4 message exceeds the ${config.maxBytes}-byte limit`, 552));
          return;
        }
        const raw = Buffer.concat(chunks);
        const envelopeFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : null;
        const envelopeTo = session.envelope.rcptTo.map((r) => r.address);
        storeInbound(prisma, { source: 'SMTP', raw, envelopeFrom, envelopeTo }, clock)
          .then(
            ({ id, duplicate }) => {
              callback(null, `2.0.0 queued as ${id}`);
              opts.onStored(id, duplicate);
            },
            (err: unknown) => {
              log.error({ err }, 'could not store an inbound message; answered 451');
              callback(smtpError('4.3.0 temporary storage failure, try again later', 451));
            },
          )
          .finally(() => end(session.id));
      });
    },
  });
  server.on('error', (err) => log.warn({ err }, 'smtp listener error'));
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(config.listenPort ?? 0, config.listenHost, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;
  log.info({ port, host: config.listenHost, domains: config.domains }, 'smtp listener ready');
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
