/**
 * Starting and stopping the long-running service: database, migrations, HTTP API, whatever workers the mode
 * adds, and the ordered shutdown on SIGINT/SIGTERM (stop accepting, drain, stop workers, stop PostgreSQL).
 */
package io.templateworker.app.service;
