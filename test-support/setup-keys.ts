// Setup file of every vitest project (vitest.config.ts): stocked RSA key pairs for the
// emulators the tests start in process (test-support/rsa-keys.ts).
import { installKeyStock } from "./rsa-keys.js";

await installKeyStock();
