/**
 * Demo mode: the demo city's organisation, accounts, units and a year of history, written once across
 * instances. Not a kernel module yet (issue 10 step 6 moves it to src/demo/); this file is its public API.
 */
export { DEMO_PASSWORD, DEMO_SETTING, isDatabaseEmpty, isDemoCity, seedDemo, type SeedProgress } from './seed.js';
export { HISTORY_SETTING, seedDemoHistory, type DemoHistoryOptions, type HistoryMarker } from './history.js';
export { STARTUP_LOCK, underStartupLock } from './lock.js';
