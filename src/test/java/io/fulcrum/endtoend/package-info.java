/** End-to-end tests through a running Fulcrum: routing, target groups, health, reloads and the command line. */
package io.fulcrum.endtoend;
