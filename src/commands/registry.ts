// Every command, in the order --help lists them: the one list the program is built from.

import type { Register } from './context.js';
import { register as check } from './check.js';
import { register as diff } from './diff.js';
import { register as history } from './history.js';
import { register as report } from './report.js';
import { register as show } from './show.js';
import { register as watch } from './watch.js';

export const COMMANDS: readonly Register[] = [show, check, report, history, diff, watch];
