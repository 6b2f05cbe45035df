import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The inbound message being turned into ticket changes. Ticket services run unchanged (createTicket, addEntry,
 * reopenTicket); the email ticket hook sees this context inside their transactions and records progress on the
 * inbound row in the same transaction, so a retried message resumes where it stopped and never adds a comment twice.
 */
export interface InboundContext {
  inboundId: string;
  /** The sender's own Message-ID: our acknowledgement replies to it so the customer's client threads it. */
  messageId: string;
  senderId: string;
  /** 'new': the mail opens a ticket; 'reply': it continues one (a ticket created meanwhile is a follow-up). */
  mode: 'new' | 'reply';
}

export const inboundContext = new AsyncLocalStorage<InboundContext>();
