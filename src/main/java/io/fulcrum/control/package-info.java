/**
 * The control plane: every change to the desired state (a file apply, an API call, a rollback) is
 * validated whole, stored as a new revision and then published to the running data plane.
 */
package io.fulcrum.control;
