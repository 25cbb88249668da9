/** The {@code fulcrum} command: run a load balancer from a YAML file, validate a file, run a demo backend. */
package io.fulcrum.cli;
