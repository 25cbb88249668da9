/**
 * Immutable desired-state records (load balancers, listeners, rules, target groups) and their
 * validation. No I/O and no Netty here: everything else depends on this package, never the reverse.
 */
package io.fulcrum.model;
