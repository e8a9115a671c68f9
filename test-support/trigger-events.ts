// What trigger tests share: a handler that records the events it was called with (copies, as the
// function saw them before answering) and answers through `respond`.
import type { Triggers } from "../emulator/services/triggers.js";

/**
 * Sets `respond` as the function `nameOrArn` (`twin.triggers.set`) and answers the list of events
 * it was called with, filled as calls come in.
 *
 * @example
 * const events = recordTrigger<PreSignUpTriggerEvent>(t.twin.triggers, "pre-signup");
 */
export function recordTrigger<E>(
  triggers: Triggers,
  nameOrArn: string,
  respond: (event: E) => unknown = (event) => event,
): E[] {
  const events: E[] = [];
  triggers.set(nameOrArn, (event: E) => {
    events.push(structuredClone(event));
    return respond(event);
  });
  return events;
}
