/**
 * UDP listeners as NLB's: each client flow (source address and port) is pinned to one target of a UDP
 * or TCP_UDP target group, chosen by flow hash among the healthy targets, through a socket of its own
 * so that the target's replies find their way back; a flow ends after the listener's idle timeout.
 * Uses the proxy package's live target groups (health, balancing, draining); knows nothing of HTTP.
 * Must not depend on io.fulcrum.server.
 */
package io.fulcrum.udp;
