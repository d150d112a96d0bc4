// @ts-check

/**
 * The rest of a team dashboard, maintained on write (issue #14): the summary read grouped
 * findings and history on every request, which was most of its cost.
 *
 * - `mlgov_team_rule_counters`: open findings per owner and rule, summed from the entities' rule
 *   counters (the dashboard's "top rules").
 * - `mlgov_team_history`: per owner and day, the open findings by severity and the blocked entities
 *   summed from `mlgov_decision_history` (the dashboard's trend).
 * - the oldest-open index gains `id`, the list's tie-breaker, so the ten oldest are read in index
 *   order instead of sorting every open finding of the team.
 *
 * Both tables are recounted from their source rows in each writer's transaction
 * (src/database/FindingCountersStore.ts, src/database/TeamHistoryRollup.ts); this migration
 * backfills them the same way.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  const severities = ['critical', 'high', 'medium', 'low', 'info'];

  await knex.schema.createTable('mlgov_team_rule_counters', table => {
    table.comment(
      'Open findings per owner and rule, recounted with the team counters',
    );
    table
      .string('owner', 255)
      .notNullable()
      .comment("Owner entity ref; '' for entities without an owner");
    table.string('rule_id', 128).notNullable();
    table
      .string('title', 512)
      .notNullable()
      .comment('The greatest title of the rule');
    table.integer('finding_count').notNullable();
    table.primary(['owner', 'rule_id'], 'mlgov_team_rule_counters_pkey');
  });

  await knex.schema.createTable('mlgov_team_history', table => {
    table.comment(
      'Per owner and day: the decision history of its entities, summed on every history write',
    );
    table
      .string('owner', 255)
      .notNullable()
      .comment("Owner entity ref as recorded in the history; '' for none");
    table.string('day', 10).notNullable();
    for (const severity of severities)
      table.integer(`open_${severity}`).notNullable().defaultTo(0);
    table.integer('blocked_entities').notNullable().defaultTo(0);
    table.primary(['owner', 'day'], 'mlgov_team_history_pkey');
  });

  await knex.raw(
    `INSERT INTO mlgov_team_rule_counters (owner, rule_id, title, finding_count)
     SELECT COALESCE(e.entity_owner, ''), c.rule_id, MAX(c.title), SUM(c.finding_count)
     FROM mlgov_rule_counters c JOIN mlgov_entities e ON e.entity_ref = c.entity_ref
     WHERE c.status = 'open'
     GROUP BY COALESCE(e.entity_owner, ''), c.rule_id`,
  );
  await knex.raw(
    `INSERT INTO mlgov_team_history (owner, day, ${severities
      .map(s => `open_${s}`)
      .join(', ')}, blocked_entities)
     SELECT COALESCE(entity_owner, ''), day, ${severities
       .map(s => `SUM(open_${s})`)
       .join(', ')}, SUM(CASE WHEN decision = 'BLOCK' THEN 1 ELSE 0 END)
     FROM mlgov_decision_history GROUP BY COALESCE(entity_owner, ''), day`,
  );

  await knex.raw(
    'CREATE INDEX mlgov_findings_owner_oldest_idx ON mlgov_findings (entity_owner, status, first_seen_at, id)',
  );
  await knex.raw('DROP INDEX mlgov_findings_owner_status_idx');
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.raw(
    'CREATE INDEX mlgov_findings_owner_status_idx ON mlgov_findings (entity_owner, status, first_seen_at)',
  );
  await knex.raw('DROP INDEX mlgov_findings_owner_oldest_idx');
  await knex.schema.dropTable('mlgov_team_history');
  await knex.schema.dropTable('mlgov_team_rule_counters');
};
