package io.fulcrum.admin;

import io.fulcrum.model.ConfigProblem;
import java.util.List;

/** A request refused with an HTTP status and an error code (AWS's where AWS has one). */
final class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final transient List<ConfigProblem> problems;

    ApiException(int status, String code, String message) {
        this(status, code, message, List.of());
    }

    ApiException(int status, String code, String message, List<ConfigProblem> problems) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.problems = List.copyOf(problems);
    }

    static ApiException notFound(String code, String message) {
        return new ApiException(404, code, message);
    }

    static ApiException conflict(String code, String message) {
        return new ApiException(409, code, message);
    }

    /** 400 ValidationError with one problem. */
    static ApiException invalid(String path, String message) {
        return new ApiException(400, ErrorCodes.VALIDATION_ERROR, path + ": " + message,
                List.of(new ConfigProblem(path, message)));
    }

    static ApiException invalid(List<ConfigProblem> problems) {
        StringBuilder message = new StringBuilder("invalid request (").append(problems.size())
                .append(problems.size() == 1 ? " problem)" : " problems)");
        if (!problems.isEmpty()) {
            message.append(": ").append(problems.get(0));
            if (problems.size() > 1) {
                message.append(", …");
            }
        }
        return new ApiException(400, ErrorCodes.VALIDATION_ERROR, message.toString(), problems);
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    List<ConfigProblem> problems() {
        return problems;
    }
}
