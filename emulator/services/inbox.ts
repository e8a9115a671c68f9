// Everything Cognito would have sent by email or SMS, kept so tests can read the codes.

/** Why a message was sent. */
export type MessageReason =
  | "SignUp"
  | "ResendCode"
  | "ForgotPassword"
  | "AdminResetUserPassword"
  | "VerifyUserAttribute"
  | "AdminCreateUser"
  | "Authentication"
  | "MfaSetup"
  /** A threat protection notice of a risky sign-in (domain/auth-events.ts). */
  | "RiskNotification";

/** One message, as `GET /_twin/messages` lists it. */
export interface InboxMessage {
  userPoolId: string;
  username: string;
  destination: string;
  deliveryMedium: "EMAIL" | "SMS";
  attributeName?: string;
  reason: MessageReason;
  code?: string;
  temporaryPassword?: string;
  /** An email's subject line, as Cognito would send it (emails only). */
  subject?: string;
  /**
   * The text Cognito would send: the pool's template, or what the custom message trigger
   * answered, with the code (or temporary password) and username in place of `{####}` and
   * `{username}`. Absent when a custom sender trigger was handed the code instead (`sentBy`).
   */
  message?: string;
  /**
   * The custom sender trigger Cognito handed the code to (encrypted) instead of sending a message
   * itself; what reaches the user is then up to that function (docs/triggers.md).
   */
  sentBy?: "CustomEmailSender" | "CustomSMSSender";
  /** Why the pool's text was sent rather than (part of) what the custom message trigger answered. */
  note?: string;
  /** Epoch seconds. */
  createdAt: number;
}

/** A message with its place in the inbox's sequence (see {@link Inbox.since}). */
export interface SequencedMessage {
  /** Increasing from 1 per emulator and never reused (not by clear or reset either). */
  readonly seq: number;
  readonly message: InboxMessage;
}

/** The list of sent messages, oldest first. */
export class Inbox {
  // Each message keeps its sequence number beside it, not in it: InboxMessage is what
  // GET /_twin/messages answers, and the number is only for the console's live view to resume from.
  private messages: SequencedMessage[] = [];
  #seq = 0;
  /** The web console's live views (http/console/): told of every message as it is added. */
  private readonly listeners = new Set<(message: InboxMessage, seq: number) => void>();
  constructor(
    private readonly log: (line: string) => void,
    private readonly limit = 10_000,
  ) {}

  /** The sequence number of the latest message added (0 before the first), kept across {@link clear}. */
  get lastSeq(): number {
    return this.#seq;
  }

  /** Records a message and logs it as it happens. */
  add(message: InboxMessage): void {
    const seq = ++this.#seq;
    this.messages.push({ seq, message });
    if (this.messages.length > this.limit) this.messages.splice(0, this.messages.length - this.limit);
    const what =
      message.code !== undefined
        ? `code ${message.code}`
        : message.temporaryPassword !== undefined
          ? `temporary password ${message.temporaryPassword}`
          : "message";
    const via = message.sentBy ? ` (handed to ${message.sentBy})` : message.note ? ` (${message.note})` : "";
    this.log(
      `[inbox] ${message.reason} for ${message.username} in ${message.userPoolId} to ${message.destination} (${message.deliveryMedium}): ${what}${via}`,
    );
    for (const listener of this.listeners) {
      // A listener that throws (a closed stream) is dropped; the message is kept all the same.
      try {
        listener(message, seq);
      } catch {
        this.listeners.delete(listener);
      }
    }
  }

  /**
   * Calls `listener` with every message added from now on, and its sequence number; returns the
   * function that stops it.
   */
  subscribe(listener: (message: InboxMessage, seq: number) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /**
   * Messages matching the filters, oldest first. `username` matches the username or the
   * destination (case-insensitively), so a test that only knows the email or phone number a
   * user signed up with (email-as-username pools store a UUID username) still finds the code.
   */
  list(filter: { userPoolId?: string; username?: string } = {}): InboxMessage[] {
    return this.matching(filter).map((m) => m.message);
  }

  /**
   * The messages added after sequence number `after` that match the filters (still kept: not
   * cleared, nor pushed out by the limit), oldest first, with their numbers: what a live view
   * that last saw `after` missed.
   */
  since(after: number, filter: { userPoolId?: string; username?: string } = {}): SequencedMessage[] {
    return this.matching(filter).filter((m) => m.seq > after);
  }

  /** Drops the messages matching the filters (all of them without filters); returns how many. */
  clear(filter: { userPoolId?: string; username?: string } = {}): number {
    const drop = new Set(this.matching(filter));
    this.messages = this.messages.filter((m) => !drop.has(m));
    return drop.size;
  }

  private matching(filter: { userPoolId?: string; username?: string }): SequencedMessage[] {
    const name = filter.username?.toLowerCase();
    return this.messages.filter(
      ({ message: m }) =>
        (filter.userPoolId === undefined || m.userPoolId === filter.userPoolId) &&
        (name === undefined || m.username.toLowerCase() === name || m.destination.toLowerCase() === name),
    );
  }
}
