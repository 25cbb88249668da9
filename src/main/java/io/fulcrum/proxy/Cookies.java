package io.fulcrum.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Iterator;

/** Finds one cookie's value in a request's Cookie headers without decoding all of them. */
final class Cookies {
    private Cookies() {
    }

    /** The value of cookie {@code name}, or null. */
    static String find(HttpHeaders headers, String name) {
        Iterator<String> values = headers.valueStringIterator(HttpHeaderNames.COOKIE);
        while (values.hasNext()) {
            String header = values.next();
            int from = 0;
            while (from < header.length()) {
                int start = header.indexOf(name, from);
                if (start < 0) {
                    break;
                }
                int equals = start + name.length();
                boolean atPairStart = start == 0 || header.charAt(start - 1) == ' ' || header.charAt(start - 1) == ';';
                if (atPairStart && equals < header.length() && header.charAt(equals) == '=') {
                    int end = header.indexOf(';', equals);
                    return header.substring(equals + 1, end < 0 ? header.length() : end).trim();
                }
                from = start + 1;
            }
        }
        return null;
    }
}
