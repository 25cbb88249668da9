/**
 * Reads a YAML config file into the desired-state records of {@code io.fulcrum.model}, reporting
 * every problem with its field path. Depends on the model and Jackson only; nothing here runs on an
 * event loop.
 */
package io.fulcrum.config;
