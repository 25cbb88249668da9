/**
 * TCP listeners as NLB's: each client connection is relayed byte for byte to one target of a TCP
 * target group (round robin or flow hash), with back-pressure, half-close, an idle timeout, draining
 * and an optional Proxy Protocol v2 header. Uses the proxy package's live target groups (health,
 * balancing, draining); knows nothing of HTTP. Must not depend on io.fulcrum.server.
 */
package io.fulcrum.tcp;
