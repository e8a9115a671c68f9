// The trigger functions of the benchmark's trigger workloads, mapped in-process with --trigger.
// Plain JavaScript so they load without a TypeScript loader, as a team's built functions would.

/** Pre sign-up: looks at the email, as a domain allow-list would, and lets the sign-up go on. */
export async function preSignUp(event) {
  if (!String(event.request.userAttributes.email ?? "").endsWith("@bench.test")) throw new Error("not a bench user");
  return event;
}

/** Pre token generation, event version 2: one custom claim in each token. */
export async function preTokenGeneration(event) {
  event.response = {
    claimsAndScopeOverrideDetails: {
      idTokenGeneration: { claimsToAddOrOverride: { tenant: "bench" } },
      accessTokenGeneration: { claimsToAddOrOverride: { tenant: "bench" } },
    },
  };
  return event;
}
