// Jest for the Lightning components only (sfdx-lwc-jest: jest 29 + LWC 8.28). Vitest never sees these files.
// Run: npx sfdx-lwc-jest   (or: npx jest -c jest.config.js)
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { jestConfig } = require('@salesforce/sfdx-lwc-jest/config');

export default {
  ...jestConfig,
  roots: ['<rootDir>/force-app'],
  testMatch: ['**/lwc/**/__tests__/**/*.test.js'],
  // No @sa11y/jest in this install: an axe-free toBeAccessible() with the same name (see the file).
  setupFilesAfterEnv: [...(jestConfig.setupFilesAfterEnv || []), '<rootDir>/force-app/test/jest-setup/a11y.js'],
  moduleNameMapper: { '^lightning/navigation$': '<rootDir>/force-app/test/jest-mocks/lightning/navigation' },
  testPathIgnorePatterns: ['/node_modules/', '/engine/', '/scripts/'],
};
