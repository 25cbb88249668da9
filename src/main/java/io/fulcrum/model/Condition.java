package io.fulcrum.model;

import java.util.List;

/**
 * One rule condition. Values are OR-ed.
 *
 * @param values for every field but query-string: the patterns, hosts, methods or CIDRs
 * @param httpHeaderName only for http-header: the header to look at (case-insensitive)
 * @param queryStringValues only for query-string: key/value pairs, either side may be null
 */
public record Condition(ConditionField field, List<String> values, String httpHeaderName,
                        List<KeyValue> queryStringValues) {
    public Condition {
        values = Lists.copy(values);
        queryStringValues = Lists.copy(queryStringValues);
    }

    /** A query-string condition value; a null key matches any key with that value. */
    public record KeyValue(String key, String value) {
    }
}
