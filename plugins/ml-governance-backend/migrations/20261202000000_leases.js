// @ts-check

/**
 * Short, renewed claims (leases) and crash-safe scan runs.
 *
 * - `mlgov_scan_runs.worker`: the replica that runs the scan, so a run left `running` by a replica
 *   that is gone (its lease on the entity expired or was taken over) can be marked abandoned.
 * - `mlgov_entities.scan_error`: why the last scan's results could not be stored or computed. While
 *   set, the entity's decision cannot be PASS, even if no finding could be written.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('mlgov_scan_runs', table => {
    table
      .string('worker', 128)
      .nullable()
      .comment('Replica running the scan (claim holder)');
    table.index(['status'], 'mlgov_scan_runs_status_idx');
  });
  await knex.schema.alterTable('mlgov_entities', table => {
    table
      .text('scan_error')
      .nullable()
      .comment('Set when the last scan could not be stored or computed');
    table.index(['claimed_by'], 'mlgov_entities_claimed_by_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('mlgov_entities', table => {
    table.dropIndex(['claimed_by'], 'mlgov_entities_claimed_by_idx');
    table.dropColumn('scan_error');
  });
  await knex.schema.alterTable('mlgov_scan_runs', table => {
    table.dropIndex(['status'], 'mlgov_scan_runs_status_idx');
    table.dropColumn('worker');
  });
};
