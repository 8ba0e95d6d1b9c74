// The HTML pages in one module: the entry of dist/buddyinfo-html.cjs, which the CLI loads only for --format html.

export { showPage } from './show.js';
export { checkPage } from './check.js';
export { reportPage } from './report.js';
export { historyPage } from './history.js';
export { zoneinfoPage } from './zoneinfo.js';
export { HistoryTimeline } from '../../analysis/timeline.js';
