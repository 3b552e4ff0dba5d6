/**
 * Every string of the web app, bundled (no HTTP backend: the app works offline on a LAN). One namespace
 * per area; zh-CN is the source language and the type of the keys (see i18next.d.ts), English follows it.
 */
import zhCommon from './zh/common';
import zhAuth from './zh/auth';
import zhShell from './zh/shell';
import zhAdmin from './zh/admin';
import zhIncidents from './zh/incidents';
import zhDispatch from './zh/dispatch';
import zhOfficer from './zh/officer';
import zhIntake from './zh/intake';
import zhDisputes from './zh/disputes';
import zhCases from './zh/cases';
import zhAnalytics from './zh/analytics';
import zhReports from './zh/reports';
import zhWall from './zh/wall';
import zhHome from './zh/home';
import zhCommunity from './zh/community';
import zhVolunteers from './zh/volunteers';
import zhCitizen from './zh/citizen';
import enCommon from './en/common';
import enAuth from './en/auth';
import enShell from './en/shell';
import enAdmin from './en/admin';
import enIncidents from './en/incidents';
import enDispatch from './en/dispatch';
import enOfficer from './en/officer';
import enIntake from './en/intake';
import enDisputes from './en/disputes';
import enCases from './en/cases';
import enAnalytics from './en/analytics';
import enReports from './en/reports';
import enWall from './en/wall';
import enHome from './en/home';
import enCommunity from './en/community';
import enVolunteers from './en/volunteers';
import enCitizen from './en/citizen';

export const zh = {
  common: zhCommon,
  auth: zhAuth,
  shell: zhShell,
  admin: zhAdmin,
  incidents: zhIncidents,
  dispatch: zhDispatch,
  officer: zhOfficer,
  intake: zhIntake,
  disputes: zhDisputes,
  cases: zhCases,
  analytics: zhAnalytics,
  reports: zhReports,
  wall: zhWall,
  home: zhHome,
  community: zhCommunity,
  volunteers: zhVolunteers,
  citizen: zhCitizen,
} as const;

/** English has exactly the namespaces and keys of zh-CN (each file checks its keys against zh's). */
export const en: { [N in keyof typeof zh]: Record<keyof (typeof zh)[N], string> } = {
  common: enCommon,
  auth: enAuth,
  shell: enShell,
  admin: enAdmin,
  incidents: enIncidents,
  dispatch: enDispatch,
  officer: enOfficer,
  intake: enIntake,
  disputes: enDisputes,
  cases: enCases,
  analytics: enAnalytics,
  reports: enReports,
  wall: enWall,
  home: enHome,
  community: enCommunity,
  volunteers: enVolunteers,
  citizen: enCitizen,
};

export const resources = { zh, en };

export type Namespace = keyof typeof zh;
export const NAMESPACES = Object.keys(zh) as Namespace[];
/** The keys of one namespace, e.g. `Key<'dispatch'>`. */
export type Key<N extends Namespace> = keyof (typeof zh)[N] & string;
