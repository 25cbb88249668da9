/**
 * Pure load balancing: picks one target out of a candidate list (round robin, least outstanding
 * requests, weighted random, with slow start), weighted picks across target groups, and the signed
 * stickiness cookie. No sockets, threads or clocks here (time is passed in), and nothing from Netty:
 * the proxy calls this concurrently from its event loops, so every pick is lock-free and allocation-free.
 */
package io.fulcrum.balancing;
