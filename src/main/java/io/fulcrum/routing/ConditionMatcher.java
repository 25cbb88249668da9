package io.fulcrum.routing;

import io.fulcrum.model.Condition;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

import java.util.Iterator;
import java.util.List;

/** One compiled rule condition: true when any of its values matches the request. Immutable. */
abstract class ConditionMatcher {
    /** Evaluation order inside a rule: cheap tests first, so a failing rule is dropped quickly. */
    abstract int cost();

    abstract boolean matches(RequestView request);

    /**
     * Compiles one condition.
     *
     * @param where the condition's config path for error messages, e.g. {@code rules[priority=5].conditions[0]}
     * @throws IllegalArgumentException when a value cannot be compiled
     */
    static ConditionMatcher compile(Condition condition, String where) {
        if (condition.field() == null) {
            throw new IllegalArgumentException(where + ".field: null (expected: a condition field)");
        }
        List<String> values = condition.values();
        return switch (condition.field()) {
            case HOST_HEADER -> new Host(patterns(values, true));
            case PATH_PATTERN -> new Path(patterns(values, false));
            case HTTP_REQUEST_METHOD -> new Method(values.toArray(new String[0]));
            case HTTP_HEADER -> {
                String name = condition.httpHeaderName();
                if (name == null || name.isEmpty()) {
                    throw new IllegalArgumentException(where + ".httpHeaderName: " + name + " (expected: a header name)");
                }
                yield new Header(AsciiString.cached(name.toLowerCase(java.util.Locale.ROOT)), patterns(values, true));
            }
            case QUERY_STRING -> {
                List<Condition.KeyValue> kvs = condition.queryStringValues();
                WildcardPattern[] keys = new WildcardPattern[kvs.size()];
                WildcardPattern[] vals = new WildcardPattern[kvs.size()];
                for (int i = 0; i < kvs.size(); i++) {
                    Condition.KeyValue kv = kvs.get(i);
                    keys[i] = kv.key() == null ? null : WildcardPattern.compileWithEscapes(kv.key(), true);
                    vals[i] = kv.value() == null ? null : WildcardPattern.compileWithEscapes(kv.value(), true);
                }
                yield new Query(keys, vals);
            }
            case SOURCE_IP -> {
                CidrBlock[] blocks = new CidrBlock[values.size()];
                for (int i = 0; i < blocks.length; i++) {
                    try {
                        blocks[i] = CidrBlock.parse(values.get(i));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(where + ".values[" + i + "]: " + e.getMessage(), e);
                    }
                }
                yield new SourceIp(blocks);
            }
        };
    }

    private static WildcardPattern[] patterns(List<String> values, boolean ignoreCase) {
        WildcardPattern[] out = new WildcardPattern[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = WildcardPattern.compile(values.get(i), ignoreCase);
        }
        return out;
    }

    private static boolean any(WildcardPattern[] patterns, CharSequence s) {
        if (s == null) {
            return false;
        }
        for (WildcardPattern p : patterns) {
            if (p.matches(s, 0, s.length())) {
                return true;
            }
        }
        return false;
    }

    /** host-header: case-insensitive wildcards on the Host without its port. */
    static final class Host extends ConditionMatcher {
        final WildcardPattern[] patterns;

        Host(WildcardPattern[] patterns) {
            this.patterns = patterns;
        }

        boolean allLiteral() {
            for (WildcardPattern p : patterns) {
                if (!p.isLiteral()) {
                    return false;
                }
            }
            return patterns.length > 0;
        }

        @Override
        int cost() {
            return 1;
        }

        @Override
        boolean matches(RequestView request) {
            return any(patterns, request.host());
        }
    }

    /** path-pattern: case-sensitive wildcards on the normalised path, query excluded. */
    static final class Path extends ConditionMatcher {
        private final WildcardPattern[] patterns;

        Path(WildcardPattern[] patterns) {
            this.patterns = patterns;
        }

        @Override
        int cost() {
            return 2;
        }

        @Override
        boolean matches(RequestView request) {
            return any(patterns, request.path());
        }
    }

    /** http-request-method: exact and case-sensitive, as ALB. */
    static final class Method extends ConditionMatcher {
        private final String[] methods;

        Method(String[] methods) {
            this.methods = methods;
        }

        @Override
        int cost() {
            return 0;
        }

        @Override
        boolean matches(RequestView request) {
            String m = request.method();
            for (String candidate : methods) {
                if (candidate.equals(m)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** source-ip: the TCP peer in any of the CIDR blocks. */
    static final class SourceIp extends ConditionMatcher {
        private final CidrBlock[] blocks;

        SourceIp(CidrBlock[] blocks) {
            this.blocks = blocks;
        }

        @Override
        int cost() {
            return 3;
        }

        @Override
        boolean matches(RequestView request) {
            if (!request.decodeSource()) {
                return false;
            }
            boolean v4 = request.sourceIsIpv4();
            long hi = request.sourceHi();
            long lo = request.sourceLo();
            for (CidrBlock b : blocks) {
                if (b.contains(v4, hi, lo)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** http-header: name case-insensitive, value case-insensitive wildcards; any occurrence may match. */
    static final class Header extends ConditionMatcher {
        private final AsciiString name;
        private final WildcardPattern[] patterns;

        Header(AsciiString name, WildcardPattern[] patterns) {
            this.name = name;
            this.patterns = patterns;
        }

        @Override
        int cost() {
            return 4;
        }

        @Override
        boolean matches(RequestView request) {
            HttpHeaders headers = request.headers();
            if (headers == null) {
                return false;
            }
            // The first value is read without an iterator: the common case (one occurrence) allocates nothing.
            String first = headers.get(name);
            if (first == null) {
                return false;
            }
            if (any(patterns, first)) {
                return true;
            }
            // Repeated header: try every occurrence. Netty's iterator order is not insertion order, so the
            // value tried above may come again; trying it twice is cheaper than working out which one it is.
            Iterator<? extends CharSequence> it = headers.valueCharSequenceIterator(name);
            while (it.hasNext()) {
                if (any(patterns, it.next())) {
                    return true;
                }
            }
            return false;
        }
    }

    /** query-string: any decoded pair where the key (if given) and the value (if given) match. */
    static final class Query extends ConditionMatcher {
        private final WildcardPattern[] keys;
        private final WildcardPattern[] values;

        Query(WildcardPattern[] keys, WildcardPattern[] values) {
            this.keys = keys;
            this.values = values;
        }

        @Override
        int cost() {
            return 5;
        }

        @Override
        boolean matches(RequestView request) {
            if (request.rawQuery() == null) {
                return false;
            }
            QueryParams q = request.queryParams();
            for (int pair = 0; pair < q.count(); pair++) {
                for (int i = 0; i < keys.length; i++) {
                    WildcardPattern k = keys[i];
                    WildcardPattern v = values[i];
                    if ((k == null || k.matches(q, q.keyStart(pair), q.keyEnd(pair)))
                            && (v == null || v.matches(q, q.valueStart(pair), q.valueEnd(pair)))) {
                        return true;
                    }
                }
            }
            return false;
        }
    }
}
