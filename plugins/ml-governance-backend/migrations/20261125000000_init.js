// @ts-check

/**
 * Initial schema. Timestamps are ISO-8601 UTC strings (`toISOString()`), which sort and compare
 * correctly as text on SQLite and PostgreSQL alike. JSON lives in text columns.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('mlgov_entities', table => {
    table.comment(
      'Entities in scope, their scan state (digests, claims) and their current decision',
    );
    table.string('entity_ref', 255).notNullable();
    table.primary(['entity_ref'], 'mlgov_entities_pkey');
    table.string('entity_kind', 64).notNullable();
    table.string('entity_owner', 255).nullable();
    table.string('policy_name', 128).nullable();
    table.text('targets').notNullable().defaultTo('[]');
    table.text('target_digests').notNullable().defaultTo('{}');
    table
      .text('pinned_hashes')
      .notNullable()
      .defaultTo('{}')
      .comment('From ml-governance.io/sha256');
    table
      .string('decision', 16)
      .nullable()
      .comment('BLOCK, TICKET, PASS; null = never scanned');
    for (const severity of ['critical', 'high', 'medium', 'low', 'info']) {
      table.integer(`open_${severity}`).notNullable().defaultTo(0);
    }
    table.integer('accepted_count').notNullable().defaultTo(0);
    table.string('last_scan_id', 36).nullable();
    table.string('last_scanned_at', 30).nullable();
    table
      .string('scan_requested_at', 30)
      .nullable()
      .comment('Due when later than last_scan_started_at');
    table.string('last_scan_started_at', 30).nullable();
    table.string('claimed_by', 128).nullable();
    table.string('claim_expires_at', 30).nullable();
    table.string('synced_at', 30).notNullable();
    table.index(['entity_owner'], 'mlgov_entities_owner_idx');
    table.index(['claim_expires_at'], 'mlgov_entities_claim_idx');
  });

  await knex.schema.createTable('mlgov_scan_runs', table => {
    table.comment('History of scans, including failed ones with their error');
    table.string('id', 36).notNullable();
    table.primary(['id'], 'mlgov_scan_runs_pkey');
    table.string('entity_ref', 255).notNullable();
    table.string('entity_owner', 255).nullable();
    table.string('trigger', 16).notNullable();
    table.string('status', 16).notNullable();
    table.string('requested_by', 255).nullable();
    table.string('started_at', 30).nullable();
    table.string('finished_at', 30).nullable();
    table.string('decision', 16).nullable();
    table.text('counts').nullable();
    table.text('targets').notNullable().defaultTo('[]');
    table.text('error').nullable();
    table.index(['entity_ref', 'started_at'], 'mlgov_scan_runs_entity_idx');
  });

  await knex.schema.createTable('mlgov_findings', table => {
    table.comment('Findings by entity and fingerprint, with their lifecycle');
    table.string('id', 36).notNullable();
    table.primary(['id'], 'mlgov_findings_pkey');
    table.string('entity_ref', 255).notNullable();
    table.string('entity_kind', 64).notNullable();
    table.string('entity_owner', 255).nullable();
    table.string('fingerprint', 128).notNullable();
    table.text('target').notNullable();
    table.string('rule_id', 128).notNullable();
    table.string('title', 512).notNullable();
    table.string('severity', 16).notNullable();
    table
      .integer('severity_rank')
      .notNullable()
      .comment('5 = critical … 1 = info, for ordering');
    table.text('message').notNullable();
    table.text('path').notNullable();
    table.text('location').notNullable();
    table.text('evidence').notNullable();
    table
      .text('details')
      .notNullable()
      .comment('cwe, owaspLlm, fix, retest, docsUrl');
    table.string('status', 16).notNullable();
    table.string('acceptance_id', 36).nullable();
    table.string('first_seen_at', 30).notNullable();
    table.string('last_seen_at', 30).notNullable();
    table.string('resolved_at', 30).nullable();
    table.unique(['entity_ref', 'fingerprint'], {
      indexName: 'mlgov_findings_entity_fingerprint_uq',
    });
    table.index(
      ['entity_ref', 'status', 'severity_rank'],
      'mlgov_findings_entity_status_idx',
    );
    table.index(
      ['entity_owner', 'status', 'first_seen_at'],
      'mlgov_findings_owner_status_idx',
    );
    table.index(['rule_id', 'status'], 'mlgov_findings_rule_idx');
  });

  await knex.schema.createTable('mlgov_acceptances', table => {
    table.comment(
      'Risk acceptances (current state; history in mlgov_acceptance_events)',
    );
    table.string('id', 36).notNullable();
    table.primary(['id'], 'mlgov_acceptances_pkey');
    table.string('entity_ref', 255).notNullable();
    table.string('entity_kind', 64).notNullable();
    table.string('entity_owner', 255).nullable();
    table.string('fingerprint', 128).nullable();
    table.string('rule_id', 128).nullable();
    table.string('status', 16).notNullable();
    table.text('justification').notNullable();
    table.text('checklist').notNullable();
    table.string('expires_at', 30).notNullable();
    table.string('requested_by', 255).notNullable();
    table.string('requested_at', 30).notNullable();
    table.string('decided_by', 255).nullable();
    table.string('decided_at', 30).nullable();
    table.text('decision_comment').nullable();
    table.integer('revision').notNullable().defaultTo(1);
    table
      .string('reminded_at', 30)
      .nullable()
      .comment('When the expiry-soon reminder went out (once)');
    table.index(['entity_ref', 'status'], 'mlgov_acceptances_entity_idx');
    table.index(
      ['status', 'expires_at'],
      'mlgov_acceptances_status_expiry_idx',
    );
    table.index(['requested_by'], 'mlgov_acceptances_requester_idx');
  });

  await knex.schema.createTable('mlgov_acceptance_events', table => {
    table.comment('Full, append-only history of every acceptance change');
    table.string('id', 36).notNullable();
    table.primary(['id'], 'mlgov_acceptance_events_pkey');
    table
      .string('acceptance_id', 36)
      .notNullable()
      .references('id')
      .inTable('mlgov_acceptances')
      .onDelete('CASCADE');
    table
      .integer('revision')
      .notNullable()
      .comment('Acceptance revision after this event: orders the history');
    table.string('action', 32).notNullable();
    table.string('actor', 255).notNullable();
    table.string('at', 30).notNullable();
    table.text('comment').nullable();
    table.index(
      ['acceptance_id', 'revision'],
      'mlgov_acceptance_events_acceptance_idx',
    );
  });

  await knex.schema.createTable('mlgov_decision_history', table => {
    table.comment(
      'One row per entity and day: the decision and open counts, for team trends',
    );
    table.string('entity_ref', 255).notNullable();
    table.string('day', 10).notNullable();
    table.string('entity_owner', 255).nullable();
    table.string('decision', 16).nullable();
    for (const severity of ['critical', 'high', 'medium', 'low', 'info']) {
      table.integer(`open_${severity}`).notNullable().defaultTo(0);
    }
    table.primary(['entity_ref', 'day'], 'mlgov_decision_history_pkey');
    table.index(
      ['entity_owner', 'day'],
      'mlgov_decision_history_owner_day_idx',
    );
  });

  await knex.schema.createTable('mlgov_report_snapshots', table => {
    table.comment('Stored stale-import report snapshots');
    table.string('id', 36).notNullable();
    table.primary(['id'], 'mlgov_report_snapshots_pkey');
    table.string('kind', 32).notNullable();
    table.string('period', 16).notNullable();
    table.string('generated_at', 30).notNullable();
    table.string('trigger', 16).notNullable();
    table.text('content').notNullable();
    table.index(['kind', 'generated_at'], 'mlgov_report_snapshots_kind_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('mlgov_report_snapshots');
  await knex.schema.dropTable('mlgov_decision_history');
  await knex.schema.dropTable('mlgov_acceptance_events');
  await knex.schema.dropTable('mlgov_acceptances');
  await knex.schema.dropTable('mlgov_findings');
  await knex.schema.dropTable('mlgov_scan_runs');
  await knex.schema.dropTable('mlgov_entities');
};
