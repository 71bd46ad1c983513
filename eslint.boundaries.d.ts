// Types for the plain-JavaScript boundary rules (ESLint loads eslint.boundaries.js untranspiled).
import type { Linter } from 'eslint';
export declare const boundaryConfigs: Linter.Config[];
