/** The plugin's version; cli/src/main.test.ts checks it equals cli/package.json's. */
export const CLI_VERSION = '0.1.0';
