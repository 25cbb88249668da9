/**
 * Pure ALB-style request routing: path normalisation, wildcard patterns, compiled listener rules and
 * redirect URL building. No I/O, no threads, no clocks; Netty's HTTP codec types are used only as plain
 * data ({@code HttpHeaders}). Matching allocates nothing per request once a {@link io.fulcrum.routing.RequestView}
 * is warmed up, so it can run on an event loop for every request.
 */
package io.fulcrum.routing;
