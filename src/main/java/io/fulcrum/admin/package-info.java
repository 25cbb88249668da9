/**
 * The admin API: JSON over HTTP on its own loopback listener, with AWS's resource names, bearer-token
 * authentication, and every write going through {@link io.fulcrum.control.ControlPlane} so it is
 * validated as a config file is. Depends on the control plane, the server's live view and auto
 * scaling; nothing on the request path depends on it.
 */
package io.fulcrum.admin;
