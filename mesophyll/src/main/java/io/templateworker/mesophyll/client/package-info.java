/**
 * The worker side of Mesophyll: connects to the master with the worker's id and token, heartbeats at
 * the interval the master announces, hands incoming requests to the worker and reconnects after a
 * drop. It also carries the worker's database requests to the master.
 */
package io.templateworker.mesophyll.client;
