package io.fulcrum.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fulcrum.config.ConfigWriter;
import io.fulcrum.control.ApplyException;
import io.fulcrum.control.ConfigChange;
import io.fulcrum.control.ControlPlane;
import io.fulcrum.control.DesiredState;
import io.fulcrum.model.FulcrumConfig;
import io.fulcrum.model.InvalidConfigException;
import io.fulcrum.store.StaleRevisionException;
import io.fulcrum.store.Store;

/** Runs an API write through the control plane and turns its refusals into API errors. */
final class Writes {
    /** An edit of the desired state's tree; returns where the request body sits in it (see {@link Documents#bind}). */
    @FunctionalInterface
    interface TreeEdit {
        String edit(ObjectNode document, FulcrumConfig current);
    }

    private final ControlPlane controlPlane;

    Writes(ControlPlane controlPlane) {
        this.controlPlane = controlPlane;
    }

    ControlPlane controlPlane() {
        return controlPlane;
    }

    /** Edits the current state's tree, binds it as a config file and stores it as the next revision. */
    DesiredState edit(ApiRequest request, String operation, TreeEdit edit) {
        return change(request, operation, current -> {
            ObjectNode document = ConfigWriter.toTree(current);
            String bodyPath = edit.edit(document, current);
            return Documents.bind(document, bodyPath);
        });
    }

    /**
     * Stores a change (no new revision when nothing changes).
     *
     * @throws ApiException 409 RevisionConflict when {@code If-Match} names another revision, 400 when
     *     the result is invalid, 409 InvalidConfigurationRequest when the data plane cannot serve it
     */
    DesiredState change(ApiRequest request, String operation, ConfigChange change) {
        return write(() -> controlPlane.update(expectedRevision(request), cause(request, operation), change));
    }

    /** Applies a whole declared document by the ownership rules ({@link ControlPlane#apply}). */
    DesiredState declare(ApiRequest request, String operation, FulcrumConfig declared) {
        return write(() -> controlPlane.apply(expectedRevision(request), declared, cause(request, operation)));
    }

    /** A control-plane write, with its checked refusals. */
    @FunctionalInterface
    private interface Write {
        DesiredState run() throws StaleRevisionException, InvalidConfigException, ApplyException;
    }

    private static DesiredState write(Write write) {
        try {
            return write.run();
        } catch (StaleRevisionException e) {
            throw ApiException.conflict(ErrorCodes.REVISION_CONFLICT, "If-Match: revision " + e.expected()
                    + " is not the current one (current: " + e.actual() + "); read the state again and retry");
        } catch (InvalidConfigException e) {
            throw ApiException.invalid(e.problems());
        } catch (ApplyException e) {
            throw ApiException.conflict(ErrorCodes.INVALID_CONFIGURATION_REQUEST,
                    "the running balancer cannot serve this state, nothing changed: " + e.getMessage());
        }
    }

    private static String cause(ApiRequest request, String operation) {
        return request.cause() != null && !request.cause().isBlank() ? request.cause() : "API " + operation;
    }

    /** The revision of {@code If-Match} ({@code 7} or {@code "7"}), or any revision without one. */
    static long expectedRevision(ApiRequest request) {
        String value = request.ifMatch();
        if (value == null || value.isBlank() || value.trim().equals("*")) {
            return Store.ANY_REVISION;
        }
        String text = value.trim();
        if (text.startsWith("W/")) {
            text = text.substring(2);
        }
        if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")) {
            text = text.substring(1, text.length() - 1);
        }
        try {
            long revision = Long.parseLong(text);
            if (revision >= 0) {
                return revision;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw ApiException.invalid("If-Match", '"' + value + "\" (expected: a revision number, as the ETag of a GET)");
    }
}
