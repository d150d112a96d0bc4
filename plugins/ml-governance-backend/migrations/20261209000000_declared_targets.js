// @ts-check

/**
 * `mlgov_entities.declared_targets`: each target as the entity's annotation wrote it
 * (`file:./models/foo.pt`, `hf://org/name`), keyed by the resolved target the scans use
 * (`file:/srv/catalog/team/models/foo.pt`). Scan history shows the owner's own words; the resolved
 * location is only shown redacted.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('mlgov_entities', table => {
    table
      .text('declared_targets')
      .notNullable()
      .defaultTo('{}')
      .comment('JSON: resolved target -> the annotation value it came from');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('mlgov_entities', table => {
    table.dropColumn('declared_targets');
  });
};
