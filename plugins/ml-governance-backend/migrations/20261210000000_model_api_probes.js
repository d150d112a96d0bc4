// @ts-check

/**
 * Model API probe runs (docs/model-apis.md): one row per run of an entity's probe suite against its
 * third-party model API, with the measures the baseline is computed from and the alerts raised.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('mlgov_model_api_probe_runs', table => {
    table.comment('Probe runs of third-party model APIs');
    table.string('id', 36).notNullable();
    table.primary(['id'], 'mlgov_model_api_probe_runs_pkey');
    table.string('entity_ref', 255).notNullable();
    table
      .string('version_digest', 512)
      .notNullable()
      .comment('Digest over provider, model and system prompt digest');
    table.string('provider_id', 64).notNullable();
    table.string('model', 255).notNullable();
    table.boolean('model_pinned').notNullable();
    table.text('system_prompt_location').nullable();
    table.string('system_prompt_digest', 80).nullable();
    table.string('started_at', 30).notNullable();
    table.string('finished_at', 30).notNullable();
    table.integer('probes').notNullable();
    table.integer('errors').notNullable();
    table.double('latency_ms').notNullable();
    table.double('similarity').notNullable();
    table.double('refusal_rate').notNullable();
    table.string('observed_model', 255).nullable();
    table
      .boolean('healthy')
      .notNullable()
      .comment('No alert and no error: counts towards the baseline');
    table.text('alerts').notNullable().defaultTo('[]');
    table.text('results').notNullable().defaultTo('[]');
    table
      .text('error')
      .nullable()
      .comment('Why the run could not probe (declaration, prompt or suite)');
    table.index(
      ['entity_ref', 'started_at'],
      'mlgov_model_api_probe_runs_entity_idx',
    );
    table.index(
      ['entity_ref', 'version_digest', 'healthy', 'started_at'],
      'mlgov_model_api_probe_runs_baseline_idx',
    );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('mlgov_model_api_probe_runs');
};
