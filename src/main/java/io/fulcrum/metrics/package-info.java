/**
 * Data-plane counters (plain LongAdders the request path bumps without a lock or an allocation) and
 * their Prometheus exposition through Micrometer: meters are bound once per listener, target group,
 * target and auto scaling group, and removed when it goes away. Depends on nothing of the proxy.
 */
package io.fulcrum.metrics;
