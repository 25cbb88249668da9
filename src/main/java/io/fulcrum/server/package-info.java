/**
 * The runtime: turns a validated config into live target groups, health checkers and open listeners,
 * publishes each new routing snapshot atomically, and on reload opens and closes listeners by diff,
 * keeps the health and pooled connections of unchanged targets and drains removed ones.
 */
package io.fulcrum.server;
