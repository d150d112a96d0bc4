// @ts-check

/**
 * Scans uploaded from CI (`mlgov scan --report-to`, trigger 'ci').
 *
 * - `mlgov_scan_runs.commit_sha`, `run_url`, `uploaded_by`: provenance of an uploaded scan, so a
 *   reviewer can tell which commit and which CI run produced the findings and which token sent them.
 * - `mlgov_entities.last_ci_scan_at`: when the last CI scan was stored; the scheduled sweep skips
 *   entities whose CI results are fresher than `mlGovernance.ciResults.freshFor`.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('mlgov_scan_runs', table => {
    table
      .string('commit_sha', 64)
      .nullable()
      .comment('Commit the CI scan ran on');
    table
      .string('run_url', 2048)
      .nullable()
      .comment('CI run that uploaded the scan');
    table
      .string('uploaded_by', 255)
      .nullable()
      .comment('Principal that uploaded the scan');
  });
  await knex.schema.alterTable('mlgov_entities', table => {
    table
      .string('last_ci_scan_at', 30)
      .nullable()
      .comment('When the last CI scan was stored');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('mlgov_entities', table => {
    table.dropColumn('last_ci_scan_at');
  });
  await knex.schema.alterTable('mlgov_scan_runs', table => {
    table.dropColumn('uploaded_by');
    table.dropColumn('run_url');
    table.dropColumn('commit_sha');
  });
};
