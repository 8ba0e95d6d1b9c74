// Writes man/buddyinfo.1 from the built CLI's own commands, options and examples (run by npm run build).
import { mkdirSync, writeFileSync } from 'node:fs';
import { manPageText } from '../dist/cli.js';

mkdirSync(new URL('../man/', import.meta.url), { recursive: true });
writeFileSync(new URL('../man/buddyinfo.1', import.meta.url), await manPageText());
