/** What the citizen module's routes and jobs share. */
import type { Db } from '../../db/client.js';
import type { Writes } from '../../kernel/write.js';
import type { JurisdictionIndex } from '../org/index.js';
import type { CitizenIdentity } from './identity.js';
import type { CitizenReports } from './reports.js';
import type { CitizenPhotos } from './photos.js';
import type { CitizenVideos } from './videos.js';
import type { MoreDeps } from './routes-more.js';
import type { CitizenAccidents } from './accident/service.js';
import type { Open311Intake } from './open311-intake.js';

export interface CitizenDeps extends MoreDeps {
  db: Db;
  writes: Writes;
  jurisdiction: JurisdictionIndex;
  identity: CitizenIdentity;
  reports: CitizenReports;
  photos: CitizenPhotos;
  /** 随手拍 videos (at least 10 s, location removed). */
  videos: CitizenVideos;
  /** 快处快赔: minor accidents settled online by two drivers and an officer. */
  accidents: CitizenAccidents;
  /** Open311 POST requests, written in batches. */
  open311: Open311Intake;
  trustedOrigins: readonly string[];
  /** Days a citizen without reports or sessions is kept (SHOUWANG_CITIZEN_RETENTION_DAYS). */
  retentionDays: number;
  /** The agency named in Open311 answers. */
  agency: string;
  sweepTimer?: NodeJS.Timeout;
}
