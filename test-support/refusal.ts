// The error an AWS SDK v3 call rejects with, as tests compare it: Cognito's __type (the SDK's
// error name), its message and the HTTP status.

/** What an SDK call was refused with. */
export interface Refusal {
  name: string;
  message: string;
  status?: number;
}

/** Resolves to the error `p` rejects with (name, message, HTTP status); throws when it succeeds. */
export async function refusal(p: Promise<unknown>): Promise<Refusal> {
  try {
    await p;
  } catch (e) {
    const err = e as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode };
  }
  throw new Error("expected a refusal");
}
