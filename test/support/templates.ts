/** The environment variables naming the run's template databases (test/global-setup.ts). */
export const TEMPLATE_ENV = { migrated: 'VANTAGE_TEST_TEMPLATE_MIGRATED', seeded: 'VANTAGE_TEST_TEMPLATE_SEEDED' } as const;
