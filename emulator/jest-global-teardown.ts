// Jest's `globalTeardown: "cognito-twin/jest/teardown"` takes a module whose default export it calls.
import { teardown } from "./jest-setup.js";

export default teardown;
