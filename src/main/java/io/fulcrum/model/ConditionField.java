package io.fulcrum.model;

/** The condition types of an ALB rule, with their config names. */
public enum ConditionField {
    HOST_HEADER("host-header"),
    PATH_PATTERN("path-pattern"),
    HTTP_HEADER("http-header"),
    HTTP_REQUEST_METHOD("http-request-method"),
    QUERY_STRING("query-string"),
    SOURCE_IP("source-ip");

    private final String configName;

    ConditionField(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    /** The field with this config name, or null. */
    public static ConditionField fromConfigName(String name) {
        for (ConditionField field : values()) {
            if (field.configName.equals(name)) {
                return field;
            }
        }
        return null;
    }
}
