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
  };
}
