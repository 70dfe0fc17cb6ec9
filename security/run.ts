/**
 * `npm run security [-- --quick] [--json FILE] [--only C,D,E|CASE,…]`: hostile servers and content
 * against real loopback servers (catalogue sections C, D and E; issue 9). As root it re-executes
 * itself inside a private network namespace (lab.ts) before loading anything heavy, then runs
 * main.ts there: one table row per case; exit 1 unless every case passes with 0 canary connections.
 */
import { reexecInLab } from './lab.js';

const code = reexecInLab();
if (code !== null) process.exit(code);
await import('./main.js');
