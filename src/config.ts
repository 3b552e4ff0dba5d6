import path from 'node:path';

/** Runtime configuration, read once from the environment. */
export interface Config {
  port: number;
  host: string;
  /** Folder for PGlite data and other local state (ignored when databaseUrl is set). */
  dataDir: string;
  /** postgres://… — use PostgreSQL instead of embedded PGlite. */
  databaseUrl?: string;
  /** Demo mode on first start with an empty database (SHOUWANG_DEMO=0 disables). */
  demo: boolean;
  /** Minutes of inactivity after which a session ends. */
  sessionIdleMinutes: number;
  /** Failed sign-ins before lock-out, and lock-out duration. */
  maxFailedLogins: number;
  lockoutMinutes: number;
  /** Origins accepted for cookie-authenticated writes besides the server's own host. */
  trustedOrigins: string[];
  /** Road graph of the demo city or an imported city (see `shouwang roads import`). */
  roadsFile?: string;
  logLevel: string;
  /** Hours after which a transfer to 12345/119/120/122 without an answer is overdue. */
  transferDueHours: number;
  /** nats://host:4222 (several: comma-separated) — share events over NATS JetStream; absent: in-process bus. */
  natsUrl?: string;
  /** JetStream stream of this deployment (NATS_STREAM, default SHOUWANG_EVENTS). */
  natsStream: string;
  /** Subjects `<prefix>.events.<type>` (NATS_SUBJECT_PREFIX, default "shouwang"). */
  natsSubjectPrefix: string;
  /** mqtt://broker:1883 — unit positions on `shouwang/avl/{unit}`. */
  mqttUrl?: string;
  /**
   * MQTT shared-subscription group (MQTT_SHARE_GROUP, default "shouwang"): with NATS, the instances
   * subscribe to `$share/<group>/shouwang/avl/+` so each position is taken by one of them. Empty: every
   * instance receives every position.
   */
  mqttShareGroup: string;
  /** WebSocket stream: ping and principal re-check interval (SHOUWANG_STREAM_HEARTBEAT_MS, default 20 s). */
  streamHeartbeatMs: number;
  /** Demo mode: write the generated past incidents (SHOUWANG_DEMO_HISTORY=0: no). */
  demoHistory: boolean;
  /** Days of generated demo history (SHOUWANG_DEMO_HISTORY_DAYS, default three years: 1096). */
  demoHistoryDays: number;
  /**
   * Client addresses that may read /metrics without a token (SHOUWANG_METRICS_ALLOW, comma-separated;
   * default loopback). A request that came through a proxy (X-Forwarded-For) never counts as local.
   */
  metricsAllowedAddresses: string[];
  /** A bearer token for /metrics besides API tokens with the `metrics:read` scope (SHOUWANG_METRICS_TOKEN). */
  metricsToken?: string;
  /** A connection silent this long, or a request not fully received in it, is closed (SHOUWANG_REQUEST_TIMEOUT_MS, default 60 s). */
  requestTimeoutMs: number;
  /** An outbox row older than this was left by a crashed instance and is delivered by whoever sweeps first. */
  outboxOrphanMs: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const dataDir = path.resolve(env.SHOUWANG_DATA ?? './data');
  return {
    port: Number(env.PORT ?? 8080),
    host: env.HOST ?? '0.0.0.0',
    dataDir,
    databaseUrl: env.DATABASE_URL || undefined,
    demo: env.SHOUWANG_DEMO !== '0',
    sessionIdleMinutes: Number(env.SHOUWANG_SESSION_IDLE_MINUTES ?? 30),
    maxFailedLogins: 5,
    lockoutMinutes: 10,
    trustedOrigins: (env.SHOUWANG_TRUSTED_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    roadsFile: env.SHOUWANG_ROADS || undefined,
    logLevel: env.LOG_LEVEL ?? 'info',
    transferDueHours: Number(env.SHOUWANG_TRANSFER_DUE_HOURS ?? 24),
    natsUrl: env.NATS_URL || undefined,
    natsStream: env.NATS_STREAM || 'SHOUWANG_EVENTS',
    natsSubjectPrefix: env.NATS_SUBJECT_PREFIX || 'shouwang',
    mqttUrl: env.MQTT_URL || undefined,
    mqttShareGroup: env.MQTT_SHARE_GROUP ?? 'shouwang',
    streamHeartbeatMs: positive(env.SHOUWANG_STREAM_HEARTBEAT_MS, 20_000),
    demoHistory: env.SHOUWANG_DEMO_HISTORY !== '0',
    demoHistoryDays: positive(env.SHOUWANG_DEMO_HISTORY_DAYS, 3 * 365 + 1),
    metricsAllowedAddresses: (env.SHOUWANG_METRICS_ALLOW ?? '127.0.0.1,::1,::ffff:127.0.0.1').split(',').map((s) => s.trim()).filter(Boolean),
    metricsToken: env.SHOUWANG_METRICS_TOKEN || undefined,
    requestTimeoutMs: positive(env.SHOUWANG_REQUEST_TIMEOUT_MS, 60_000),
    outboxOrphanMs: positive(env.SHOUWANG_OUTBOX_ORPHAN_MS, 5_000),
  };
}

/** A positive number from the environment, or the default when unset or not a positive number. */
function positive(v: string | undefined, fallback: number): number {
  const n = Number(v);
  return v && Number.isFinite(n) && n > 0 ? n : fallback;
}
