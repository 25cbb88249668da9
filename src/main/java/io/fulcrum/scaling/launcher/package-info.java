/**
 * The local process launcher: each instance is an OS process in its own session, with its own log
 * file and a record in the data directory so that a restarted Fulcrum can adopt it. Linux only
 * ({@code /proc} and util-linux {@code setsid}). Depends on {@code io.fulcrum.scaling} and
 * {@code io.fulcrum.model}; never on Netty.
 */
package io.fulcrum.scaling.launcher;
