/** The entry points of the build (tools/build.mjs) and where they land (dist/<name>.js). */
export const ENTRIES = {
  server: 'src/server.ts',
  seed: 'seeds/index.ts',
  reindex: 'src/search/reindex.cli.ts',
  jobs: 'src/jobs/jobs.cli.ts',
  'admin-create': 'src/members/admin-create.cli.ts',
  backup: 'src/backup/backup.cli.ts',
  restore: 'src/backup/restore.cli.ts',
};

export const OUT_DIR = 'dist';
export const BUILD_INFO = 'build-info.json';
