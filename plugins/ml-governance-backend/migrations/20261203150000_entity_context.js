// @ts-check

/**
 * What the catalog says about an entity that changes how its artifacts are judged.
 *
 * - `mlgov_entities.entity_lifecycle`: `spec.lifecycle` (`production` makes the licence policy deny
 *   non-commercial and network-copyleft licences by default).
 * - `mlgov_entities.entity_type`: `spec.type` (`service` / `model-server`: all of its code is
 *   serving code, so model export there is the high-risk SOURCE-MODEL-EXPORT-PICKLE).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('mlgov_entities', table => {
    table
      .string('entity_lifecycle', 64)
      .nullable()
      .comment('spec.lifecycle of the entity in the catalog');
    table
      .string('entity_type', 64)
      .nullable()
      .comment('spec.type of the entity in the catalog');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('mlgov_entities', table => {
    table.dropColumn('entity_type');
    table.dropColumn('entity_lifecycle');
  });
};
