/**
 * Demo mode as the platform knows it: the `settings` row the demo seeding writes (its value lists the
 * demo accounts) and the one password those accounts share, shown on the sign-in page in demo mode.
 */
export const DEMO_SETTING = 'demo';
export const DEMO_PASSWORD = 'shouwang-demo';
