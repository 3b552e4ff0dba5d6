/** English · shell: The frame around every page (header, user menu) and the home page. */
import type zh from '../zh/shell';

export default {
  // header / user menu
  signOut: 'Sign out',
  signedOut: 'Signed out',
  // home
  homeWelcome: 'Hello, {{name}}',
  homeAccount: 'My account',
  homeUnit: 'Unit',
  homeRoles: 'Roles',
  homeJurisdiction: 'Jurisdiction',
  homeJurisdictionHint: 'Station and grid boundaries in your jurisdiction over the city road network.',
  homeModules: 'Available',
  homeModulesHint: 'The menu shows only what is built and what your roles may use.',
  homeStations: 'Stations',
  homeGrids: 'Grids',
  homeNoPolygon: 'No boundary has been set for this unit.',
} satisfies Record<keyof typeof zh, string>;
