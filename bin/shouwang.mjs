#!/usr/bin/env node
// The `shouwang` command: loads the TypeScript CLI through tsx (no compile step needed).
import { register } from 'tsx/esm/api';
register();
await import(new URL('../src/cli/index.ts', import.meta.url).href);
