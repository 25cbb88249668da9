/**
 * Per-load-balancer access logs in ALB's line format: the event loops hand entries to a bounded,
 * lock-free queue (a full queue drops and counts, never blocks), and one writer thread per log formats,
 * writes, rotates by size and day, and gzips rotated files. Depends on nothing of the proxy.
 */
package io.fulcrum.accesslog;
