/**
 * The capabilities of this server, one line each. Adding a capability = a folder `src/modules/<name>/`
 * with an `index.ts` that exports its manifest (see src/kernel/module.ts and docs/architecture.md), and
 * one line here.
 */
import type { ShouwangModule } from '../kernel/module.js';
import audit from './audit/index.js';
import roads from './roads/index.js';
import addresses from './addresses/index.js';
import auth from './auth/index.js';
import org from './org/index.js';
import users from './users/index.js';
import meta from './meta/index.js';
import realtime from './realtime/index.js';
import dispatch from './dispatch/index.js';
import incidents from './incidents/index.js';
import disputes from './disputes/index.js';
import cases from './cases/index.js';
import media from './media/index.js';
import analytics from './analytics/index.js';
import reports from './reports/index.js';
import community from './community/index.js';
import volunteers from './volunteers/index.js';
import citizen from './citizen/index.js';

export const MODULES: readonly ShouwangModule[] = [audit, roads, addresses, auth, org, users, meta, realtime, incidents, dispatch, disputes, cases, media, analytics, reports, community, volunteers, citizen];
