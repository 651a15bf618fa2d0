/**
 * What both ends of a Mesophyll connection share below the protocol: Jetty endpoints whose WebSocket frames are read
 * and handled on the selector thread.
 */
package io.templateworker.mesophyll.transport;
