/** Shared test fixtures: an in-JVM Fulcrum, recording backends, config YAML builders and a raw HTTP client. */
package io.fulcrum.testing;
