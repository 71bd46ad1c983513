// Types for the plain-JavaScript size ratchet (ESLint loads eslint.ratchet.js untranspiled).
import type { Linter } from 'eslint';

export declare const ratchetConfig: Linter.Config;
