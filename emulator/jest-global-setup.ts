// Jest's `globalSetup: "cognito-twin/jest/setup"` takes a module whose default export it calls.
import { setup } from "./jest-setup.js";

export default setup;
