/** What the community module's services share: database, writes, the org index, the doors, the dispute register. */
import type { Db } from '../../db/client.js';
import type { Writes } from '../../kernel/write.js';
import type { JurisdictionIndex } from '../org/index.js';
import type { DisputeDeps } from '../disputes/index.js';
import type { DoorCache } from './doors.js';
import type { IncidentService } from '../incidents/index.js';
import type { MediaStore } from '../media/index.js';

export interface AddressPoints {
  point(code: string): Promise<{ code: string; text: string; lon: number; lat: number } | undefined>;
}

export interface CommunityDeps {
  db: Db;
  writes: Writes;
  jurisdiction: JurisdictionIndex;
  doors: DoorCache;
  addresses?: AddressPoints;
  disputes?: DisputeDeps;
  /** The incidents module's service: a finding becomes a 12345 transfer through it. */
  incidents?: IncidentService;
  /** The media module's store: visit photos. */
  store?: () => MediaStore;
}
