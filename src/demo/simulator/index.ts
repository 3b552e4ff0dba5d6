/**
 * The city simulator: calls at the demo city's daily rhythm, driven in process or over HTTP. Not a
 * kernel module yet (issue 10 step 6 moves it to src/demo/); this file is its public API.
 */
export { CallGenerator, poisson, roadPointsFromGeoJSON, type CallGeneratorOptions, type RoadLines, type SimCall } from './calls.js';
export { registerSimulateCommand } from './cli.js';
export { CitySimulator, type SimIncident, type SimIncidentInput, type SimPosition, type SimRecommendation, type SimStats, type SimTarget, type SimUnitView, type SimulatorOptions } from './engine.js';
export { HttpError, HttpTarget, type HttpTargetOptions } from './http.js';
export { SIMULATOR_USERNAME, bureauOf, inProcessTarget, simulatorPrincipal, simulatorSettingsFromEnv, startInProcessSimulator, type InProcessSimulatorOptions } from './in-process.js';
export { Path, metres, type LonLat, type PathPoint, type SimRoute } from './motion.js';
