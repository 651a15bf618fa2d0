/**
 * The master side of Mesophyll: a WebSocket server on loopback TCP and a Unix domain socket that authenticates each process worker
 * by id and token, enforces heartbeats, correlates requests with replies under a timeout and answers
 * the workers' database requests.
 */
package io.templateworker.mesophyll.server;
