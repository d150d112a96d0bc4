// @ts-check

/**
 * Counters maintained on write, and the indexes keyset pagination walks.
 *
 * - `mlgov_rule_counters`: unresolved findings per entity, rule and status (open or accepted), what
 *   the team dashboard's "top rules" sums instead of grouping the findings table on every read.
 * - `mlgov_team_counters`: per owner, the number of entities by decision and the open findings by
 *   severity, what the team list and dashboard show.
 *
 * Both are recounted from their source rows (findings, entities) in the same transaction as every
 * write that changes them (see src/database/FindingCountersStore.ts); this migration backfills them
 * the same way, so an upgraded database starts exact.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  const severities = ['critical', 'high', 'medium', 'low', 'info'];
  const decisions = ['block', 'ticket', 'pass', 'unknown'];

  await knex.schema.createTable('mlgov_rule_counters', table => {
    table.comment(
      'Unresolved findings per entity, rule and status, recounted on every write',
    );
    table.string('entity_ref', 255).notNullable();
    table.string('rule_id', 128).notNullable();
    table.string('status', 16).notNullable().comment('open or accepted');
    table
      .string('title', 512)
      .notNullable()
      .comment('The greatest title of the rule');
    table.integer('finding_count').notNullable();
    table.primary(
      ['entity_ref', 'rule_id', 'status'],
      'mlgov_rule_counters_pkey',
    );
  });

  await knex.schema.createTable('mlgov_team_counters', table => {
    table.comment(
      'Per owner: entities by decision and open findings by severity, recounted on every write',
    );
    table
      .string('owner', 255)
      .notNullable()
      .comment("Owner entity ref; '' for entities without an owner");
    table.primary(['owner'], 'mlgov_team_counters_pkey');
    table.integer('entity_count').notNullable().defaultTo(0);
    for (const decision of decisions)
      table.integer(`decision_${decision}`).notNullable().defaultTo(0);
    for (const severity of severities)
      table.integer(`open_${severity}`).notNullable().defaultTo(0);
    table.integer('accepted_count').notNullable().defaultTo(0);
  });

  // Keyset pagination: every list's ORDER BY ends in a unique column, so "after this row" is exact,
  // and the indexes have the lists' own directions, so a page is read in index order on SQLite and
  // PostgreSQL alike (plain SQL both accept; knex has no per-column direction for indexes).
  await knex.raw(
    'CREATE INDEX mlgov_findings_entity_order_idx ON mlgov_findings (entity_ref, severity_rank DESC, first_seen_at, id)',
  );
  await knex.raw(
    "CREATE INDEX mlgov_scan_runs_page_idx ON mlgov_scan_runs (entity_ref, (COALESCE(started_at, '~')), id)",
  );
  await knex.raw(
    'CREATE INDEX mlgov_acceptances_status_page_idx ON mlgov_acceptances (status, requested_at DESC, id)',
  );

  await knex.raw(
    `INSERT INTO mlgov_rule_counters (entity_ref, rule_id, status, title, finding_count)
     SELECT entity_ref, rule_id, status, MAX(title), COUNT(*) FROM mlgov_findings
     WHERE status IN ('open', 'accepted')
       AND entity_ref IN (SELECT entity_ref FROM mlgov_entities)
     GROUP BY entity_ref, rule_id, status`,
  );
  const decisionSums = decisions
    .map(
      d =>
        `SUM(CASE WHEN ${
          d === 'unknown'
            ? "decision IS NULL OR decision NOT IN ('BLOCK', 'TICKET', 'PASS')"
            : `decision = '${d.toUpperCase()}'`
        } THEN 1 ELSE 0 END)`,
    )
    .join(', ');
  await knex.raw(
    `INSERT INTO mlgov_team_counters (owner, entity_count, ${decisions
      .map(d => `decision_${d}`)
      .join(', ')}, ${severities
      .map(s => `open_${s}`)
      .join(', ')}, accepted_count)
     SELECT COALESCE(entity_owner, ''), COUNT(*), ${decisionSums}, ${severities
      .map(s => `SUM(open_${s})`)
      .join(', ')}, SUM(accepted_count)
     FROM mlgov_entities GROUP BY COALESCE(entity_owner, '')`,
  );
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.raw('DROP INDEX mlgov_acceptances_status_page_idx');
  await knex.raw('DROP INDEX mlgov_scan_runs_page_idx');
  await knex.raw('DROP INDEX mlgov_findings_entity_order_idx');
  await knex.schema.dropTable('mlgov_team_counters');
  await knex.schema.dropTable('mlgov_rule_counters');
};
