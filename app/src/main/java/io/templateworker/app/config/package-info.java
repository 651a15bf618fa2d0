/**
 * The service configuration: {@code config.yaml} (upstream's sections plus {@code database}, {@code limits}
 * and {@code data_dir}) read into immutable records, with {@code TW_<SECTION>_<KEY>} environment overrides
 * and validation whose messages name the key, the value and what is expected. No file means local mode.
 */
package io.templateworker.app.config;
