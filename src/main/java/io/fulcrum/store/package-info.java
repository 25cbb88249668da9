/**
 * The durable home of the desired state: a document with a monotonically increasing revision,
 * compare-and-set writes, a kept history and watches that resume from a revision. Implementations
 * (a local file, later PostgreSQL) sit behind {@link io.fulcrum.store.Store}.
 */
package io.fulcrum.store;
