package io.fulcrum.routing;

import io.netty.handler.codec.http.HttpHeaders;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * A mutable view of one request, as the rules see it. The proxy keeps one per client connection and
 * refills it for every request ({@link #reset}), so matching allocates nothing. Not thread-safe: it belongs
 * to the connection's event loop.
 *
 * <p>The query string is parsed and decoded only when a query-string condition asks for it, at most once
 * per request, into buffers reused across requests. The source address is converted to bits once per
 * distinct address (so once per connection).
 */
public final class RequestView {
    private String method;
    private String host;
    private String path;
    private String rawQuery;
    private HttpHeaders headers;
    private InetAddress sourceAddress;

    private final QueryParams query = new QueryParams();
    private boolean queryParsed;

    private InetAddress decodedAddress;
    private boolean sourceIsIpv4;
    private long sourceHi;
    private long sourceLo;

    /**
     * Sets everything at once for a new request.
     *
     * @param method the method as sent ({@code GET})
     * @param hostHeader the Host header as sent (port and case are normalised by {@link #setHost}); may be null
     * @param path the path, already {@linkplain PathNormalizer#normalize normalised}, without the query
     * @param rawQuery the text after the first '?', or null when there is none
     * @param headers the request headers
     * @param sourceAddress the TCP peer's address
     * @return this view
     */
    public RequestView reset(String method, String hostHeader, String path, String rawQuery,
                             HttpHeaders headers, InetAddress sourceAddress) {
        this.method = method;
        setHost(hostHeader);
        this.path = path;
        setRawQuery(rawQuery);
        this.headers = headers;
        this.sourceAddress = sourceAddress;
        return this;
    }

    /**
     * Drops the request's own values (its headers above all) once it has been routed and answered, so an idle
     * keep-alive connection does not hold on to them; the source address stays, it is the connection's.
     */
    public void forgetRequest() {
        method = null;
        host = null;
        path = null;
        rawQuery = null;
        headers = null;
        queryParsed = false;
    }

    /**
     * Splits a request-target in origin form into path and query and normalises the path.
     *
     * @return false (and the path set to null) when the path is not valid; see {@link PathNormalizer}
     */
    public boolean setRequestTarget(String uri) {
        int q = uri == null ? -1 : uri.indexOf('?');
        String rawPath = q < 0 ? uri : uri.substring(0, q);
        setRawQuery(q < 0 ? null : uri.substring(q + 1));
        path = PathNormalizer.normalize(rawPath);
        return path != null;
    }

    public String method() {
        return method;
    }

    public RequestView setMethod(String method) {
        this.method = method;
        return this;
    }

    /** The Host header without its port, lower-cased; IPv6 literals keep their brackets; null when absent. */
    public String host() {
        return host;
    }

    /** Sets the host from a Host header value as sent: see {@link #normalizeHost}. */
    public RequestView setHost(String hostHeader) {
        this.host = normalizeHost(hostHeader);
        return this;
    }

    /** The normalised path without the query. */
    public String path() {
        return path;
    }

    /** Sets the path; it must already be normalised (see {@link PathNormalizer}). */
    public RequestView setPath(String path) {
        this.path = path;
        return this;
    }

    /** The query string after '?', undecoded, or null when the request had no '?'. */
    public String rawQuery() {
        return rawQuery;
    }

    public RequestView setRawQuery(String rawQuery) {
        this.rawQuery = rawQuery;
        this.queryParsed = false;
        return this;
    }

    public HttpHeaders headers() {
        return headers;
    }

    public RequestView setHeaders(HttpHeaders headers) {
        this.headers = headers;
        return this;
    }

    /** The TCP peer's address (not X-Forwarded-For). */
    public InetAddress sourceAddress() {
        return sourceAddress;
    }

    public RequestView setSourceAddress(InetAddress sourceAddress) {
        this.sourceAddress = sourceAddress;
        return this;
    }

    /**
     * The host part of a Host header: the port is cut off ({@code example.com:8080} → {@code example.com},
     * {@code [::1]:8080} → {@code [::1]}) and letters are lower-cased. Null or empty gives null. Returns the
     * same instance when nothing changes.
     */
    public static String normalizeHost(String hostHeader) {
        if (hostHeader == null || hostHeader.isEmpty()) {
            return null;
        }
        int end = hostHeader.length();
        if (hostHeader.charAt(0) == '[') {
            int close = hostHeader.indexOf(']');
            if (close > 0) {
                end = close + 1;
            }
        } else {
            int colon = hostHeader.indexOf(':');
            // More than one colon is a bare IPv6 address (not valid in Host); leave it whole.
            if (colon >= 0 && hostHeader.indexOf(':', colon + 1) < 0) {
                end = colon;
            }
        }
        boolean upper = false;
        for (int i = 0; i < end && !upper; i++) {
            char c = hostHeader.charAt(i);
            upper = c != Character.toLowerCase(c);
        }
        if (!upper) {
            return end == hostHeader.length() ? hostHeader : hostHeader.substring(0, end);
        }
        char[] out = new char[end];
        for (int i = 0; i < end; i++) {
            out[i] = Character.toLowerCase(hostHeader.charAt(i)); // per char, exactly as WildcardPattern folds
        }
        return new String(out);
    }

    /** The decoded query pairs, parsed on first use in this request. */
    QueryParams queryParams() {
        if (!queryParsed) {
            query.parse(rawQuery);
            queryParsed = true;
        }
        return query;
    }

    /** Converts the source address to 128 bits once per distinct address; false when there is none. */
    boolean decodeSource() {
        InetAddress a = sourceAddress;
        if (a == null) {
            return false;
        }
        if (a != decodedAddress) {
            byte[] b = a.getAddress();
            if (a instanceof Inet4Address) {
                sourceIsIpv4 = true;
                sourceHi = 0;
                sourceLo = 0x0000_ffff_0000_0000L | (CidrBlock.toLong(b, 0) >>> 32);
            } else {
                sourceHi = CidrBlock.toLong(b, 0);
                sourceLo = CidrBlock.toLong(b, 8);
                sourceIsIpv4 = CidrBlock.isMapped(sourceHi, sourceLo);
            }
            decodedAddress = a;
        }
        return true;
    }

    boolean sourceIsIpv4() {
        return sourceIsIpv4;
    }

    long sourceHi() {
        return sourceHi;
    }

    long sourceLo() {
        return sourceLo;
    }

    @Override
    public String toString() {
        return method + " " + host + " " + path + (rawQuery == null ? "" : "?" + rawQuery) + " from " + sourceAddress;
    }
}
