// @ts-check

/**
 * Artifact promotion (docs/promotion.md): versions of an entity's artifacts keyed by digest, their
 * stage (quarantined → evaluated → promoted | rejected), the two sign-offs a promotion needs, the
 * audit trail of every transition, and the rejected-artifact log that refuses a digest everywhere.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('mlgov_artifact_versions', table => {
    table.comment('One artifact digest seen under one entity, and its stage');
    table.string('id', 36).notNullable();
    table.primary(['id'], 'mlgov_artifact_versions_pkey');
    table.string('entity_ref', 255).notNullable();
    table.string('entity_kind', 64).notNullable();
    table.string('entity_owner', 255).nullable();
    table.text('target').notNullable();
    table
      .string('digest', 512)
      .notNullable()
      .comment('Resolver digest (files:…, hf:…@sha, mlflow:…, sha256:…)');
    table.string('source', 16).notNullable();
    table
      .string('stage', 16)
      .notNullable()
      .comment('quarantined, evaluated, promoted, rejected');
    table.string('decision', 16).nullable();
    table.string('scan_id', 36).nullable();
    table.boolean('is_current').notNullable().defaultTo(true);
    table.string('first_seen_at', 30).notNullable();
    table.string('last_seen_at', 30).notNullable();
    table.string('evaluated_at', 30).nullable();
    table.string('requested_by', 255).nullable();
    table.string('requested_at', 30).nullable();
    table.text('request_comment').nullable();
    table.string('decided_at', 30).nullable();
    table.integer('revision').notNullable().defaultTo(1);
    table.unique(['entity_ref', 'digest'], {
      indexName: 'mlgov_artifact_versions_entity_digest_uq',
    });
    table.index(['digest'], 'mlgov_artifact_versions_digest_idx');
    table.index(['stage'], 'mlgov_artifact_versions_stage_idx');
  });

  await knex.schema.createTable('mlgov_promotion_signoffs', table => {
    table.comment('Sign-offs of a promotion: one security, one owner');
    table.string('id', 36).notNullable();
    table.primary(['id'], 'mlgov_promotion_signoffs_pkey');
    table.string('version_id', 36).notNullable();
    table.string('kind', 16).notNullable().comment('security or owner');
    table.string('actor', 255).notNullable();
    table.string('at', 30).notNullable();
    table.text('comment').notNullable();
    // One sign-off of each kind per version: a second one of the same kind is refused by the schema.
    table.unique(['version_id', 'kind'], {
      indexName: 'mlgov_promotion_signoffs_version_kind_uq',
    });
  });

  await knex.schema.createTable('mlgov_promotion_events', table => {
    table.comment('Audit trail of every transition of an artifact version');
    table.string('id', 36).notNullable();
    table.primary(['id'], 'mlgov_promotion_events_pkey');
    table.string('version_id', 36).notNullable();
    table.integer('revision').notNullable();
    table.string('action', 32).notNullable();
    table.string('actor', 255).notNullable();
    table.string('at', 30).notNullable();
    table.string('from_stage', 16).nullable();
    table.string('to_stage', 16).nullable();
    table.text('comment').nullable();
    table.index(['version_id'], 'mlgov_promotion_events_version_idx');
  });

  await knex.schema.createTable('mlgov_rejected_artifacts', table => {
    table.comment(
      'Rejected digests: never promoted again, a finding wherever they appear',
    );
    table.string('digest', 512).notNullable();
    table.primary(['digest'], 'mlgov_rejected_artifacts_pkey');
    table.string('source', 16).notNullable();
    table.string('entity_ref', 255).notNullable();
    table.text('target').notNullable();
    table.text('rule_ids').notNullable().defaultTo('[]');
    table.string('rejected_by', 255).notNullable();
    table.string('rejected_at', 30).notNullable();
    table.text('reason').notNullable();
    table.string('version_id', 36).notNullable();
    table.index(['rejected_at'], 'mlgov_rejected_artifacts_at_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('mlgov_rejected_artifacts');
  await knex.schema.dropTable('mlgov_promotion_events');
  await knex.schema.dropTable('mlgov_promotion_signoffs');
  await knex.schema.dropTable('mlgov_artifact_versions');
};
