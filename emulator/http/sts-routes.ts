// STS's AssumeRoleWithWebIdentity on the emulator's own port, for the identity pools' classic
// flow (docs/identity-pools.md, "The classic flow"): an STS client pointed at the emulator
// (`endpoint` in the AWS SDKs, `endpoint_url` in boto3, `fromWebToken`'s clientConfig) posts a
// form to `/`, which no JSON 1.1 call does. Every other POST passes on to the Cognito APIs.
import type { Hono } from "hono";
import type { Services } from "../context.js";
import { CognitoError, StsError, stsErrors } from "../core/errors.js";
import { assumeRoleWithWebIdentity } from "../domain/identity-pools/sts.js";
import { baseUrlOf, requestHeader } from "../protocol/headers.js";
import { isStsRequest, parseStsForm, renderStsError, STS_VERSION, stsResponse } from "../protocol/sts.js";

/** Mounts the STS handler in front of the JSON 1.1 dispatcher at `POST /`. */
export function stsRoutes(app: Hono, services: Services): void {
  app.post("/", async (c, next) => {
    if (!isStsRequest(requestHeader(c, "content-type"), requestHeader(c, "x-amz-target"))) return next();
    const requestId = c.get("requestId");
    try {
      let body: string;
      try {
        body = await c.req.text();
      } catch (e) {
        // A client that hangs up mid-body, or one cut off by --request-timeout: its fault, not ours.
        if (e instanceof CognitoError) throw e;
        throw new StsError("ValidationError", "The request body could not be read: the client stopped sending it.");
      }
      const { action, version, params } = parseStsForm(body);
      if (action !== "AssumeRoleWithWebIdentity" || version !== STS_VERSION)
        throw stsErrors.invalidAction(action || "(none)", version || "(none)");
      const policyGiven = [...params.keys()].some((k) => k === "Policy" || k.startsWith("PolicyArns."));
      const r = await assumeRoleWithWebIdentity(services, baseUrlOf(c), {
        RoleArn: params.get("RoleArn"),
        RoleSessionName: params.get("RoleSessionName"),
        WebIdentityToken: params.get("WebIdentityToken"),
        DurationSeconds: params.get("DurationSeconds"),
        ProviderId: params.get("ProviderId"),
        policyGiven,
      });
      return stsResponse(
        action,
        {
          Credentials: {
            AccessKeyId: r.credentials.accessKeyId,
            SecretAccessKey: r.credentials.secretAccessKey,
            SessionToken: r.credentials.sessionToken,
            Expiration: new Date(r.credentials.expiresAt).toISOString(),
          },
          SubjectFromWebIdentityToken: r.subject,
          AssumedRoleUser: { AssumedRoleId: r.assumedRoleId, Arn: r.assumedRoleArn },
          Provider: r.provider,
          Audience: r.audience,
        },
        requestId,
      );
    } catch (e) {
      return renderStsError(e, requestId, services.log);
    }
  });
}
