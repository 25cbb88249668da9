/**
 * The data plane: Netty listeners that accept client connections, decode HTTP strictly, route each
 * request through the current routing snapshot and stream it to a pooled target connection.
 * Nothing here blocks an event loop or reads the store.
 */
package io.fulcrum.proxy;
